/**
 * Runs the examples of the README's `testing` section, so they cannot rot: each README block
 * is copied below verbatim (imports aside, which point into lib/ and demo/ here), and the last
 * test fails if the README and this file ever differ.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify from 'fastify';
import fastifyView from '@fastify/view';
import handlebars from 'handlebars';
import { BehaviorSubject, debounceTime, map } from 'rxjs';
import {
  Signal,
  gotRequestException,
  pausable,
  requestFinished,
  requestStarted,
  settingChanged,
  signalsPlugin,
} from '../../lib';
import {
  captureTemplates,
  connectedTo,
  deliveries,
  muted,
  overrideSettings,
  pausedDuring,
  recordSignals,
  sendMarbles,
  testScheduler,
} from '../../lib/testing';
import { DemoDatabase } from '../../demo/database';

describe('README: the seed recipe', () => {
  const db = new DemoDatabase();
  const cleanupPaused$ = new BehaviorSubject(false);
  const app = Fastify();
  beforeAll(async () => {
    await app.register(signalsPlugin);
    app.signals.connect(requestStarted, db.closeStaleConnections, { pipe: pausable(cleanupPaused$) });
    app.signals.connect(requestFinished, db.closeStaleConnections, { pipe: pausable(cleanupPaused$) });
    app.get('/users', async () => db.rows('users'));
  });
  afterAll(() => app.close());

  test('the test transaction survives a request', async () => {
    db.begin();
    db.insert('users', { name: 'ada' });
    const response = await pausedDuring(cleanupPaused$, () => app.inject('/users'));
    expect(response.json()).toEqual([{ name: 'ada' }]); // the handler saw the uncommitted row
    expect(db.inTransaction).toBe(true); // closeStaleConnections did not run
    db.rollback();
  });
});

describe('README: helpers', () => {
  test('captureTemplates', async () => {
    const app = Fastify();
    await app.register(signalsPlugin);
    await app.register(fastifyView, { engine: { handlebars }, root: 'spec/testing/views' });
    app.get('/profile', (_request, reply) => reply.view('profile.hbs', { user: { name: 'ada' } }));

    const { result, templates, contexts } = await captureTemplates(() => app.inject('/profile'));
    expect(result.statusCode).toBe(200);
    expect(templates).toEqual(['profile.hbs']);
    expect(contexts[0]).toEqual({ user: { name: 'ada' } });
    await app.close();
  });

  test('overrideSettings, connectedTo, muted', async () => {
    const settings = { cacheTtl: 60 };
    const changes: string[] = [];
    const logChange = ({ setting, value, enter }: { setting: string; value: unknown; enter: boolean }) =>
      changes.push(`${setting}=${String(value)} ${enter ? 'enter' : 'exit'}`);

    await connectedTo(settingChanged, logChange, () =>
      overrideSettings(settings, { cacheTtl: 0 }, async () => {
        expect(settings.cacheTtl).toBe(0);
        muted(settingChanged, () => overrideSettings(settings, { cacheTtl: 5 }, () => {})); // not logged
      }),
    );
    expect(settings.cacheTtl).toBe(60);
    expect(changes).toEqual(['cacheTtl=0 enter', 'cacheTtl=60 exit']);
    expect(settingChanged.hasListeners()).toBe(false);
  });
});

describe('README: marbles', () => {
  test('a real request flow as a marble string', async () => {
    const app = Fastify();
    await app.register(signalsPlugin);
    app.get('/ok', async () => 'ok');
    app.get('/boom', () => {
      throw new Error('boom');
    });

    const recording = recordSignals([requestStarted, gotRequestException, requestFinished], { sender: app });
    app.signals.connect(requestFinished, () => recording.mark('R')); // R: the receiver ran
    await app.inject('/ok');
    await app.inject('/boom');
    recording.stop();
    expect(recording.toMarbles()).toBe('sfRsxfR');
    await app.close();
  });

  test('a pipeline in virtual time', () => {
    const clicked = new Signal<{ x: number }>('clicked');
    const scheduler = testScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      sendMarbles(scheduler, clicked, 'ab-c----d', { a: { x: 1 }, b: { x: 2 }, c: { x: 3 }, d: { x: 4 } });
      const received = deliveries(clicked, { pipe: debounceTime(3) }).pipe(map((event) => event.x));
      expectObservable(received).toBe('------c----d', { c: 3, d: 4 });
    });
  });
});

describe('README testing section', () => {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const section = /<!-- section:testing -->([\s\S]*?)<!-- \/section:testing -->/.exec(readme)?.[1] ?? '';
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  const specText = readFileSync(__filename, 'utf8');

  /** Code lines, trimmed, blank lines dropped: indentation differs between the two files. */
  const lines = (code: string) =>
    code
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  const IMPORT = /^import\s+(?:(\w+)|\{([^}]*)\})\s+from\s+'([^']+)';\n/gm;
  const withoutImports = (code: string) => code.replace(IMPORT, '');
  /** `name from module` for every binding the code imports, with the README's package paths mapped to this repo's. */
  const importsOf = (code: string) =>
    [...code.matchAll(IMPORT)].flatMap(([, defaultName, names, module]) => {
      const mapped =
        { 'rx-signals': '../../lib', 'rx-signals/testing': '../../lib/testing', './demo/database': '../../demo/database' }[
          module
        ] ?? module;
      const bindings = defaultName ? [defaultName] : names.split(',').map((name) => name.trim());
      return bindings.filter(Boolean).map((name) => `${name} from ${mapped}`);
    });

  it('shows exactly the examples this file runs', () => {
    const spec = lines(specText).join('\n');
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const block of blocks) expect(spec).toContain(lines(withoutImports(block)).join('\n'));
  });

  it('imports in its examples what this file imports', () => {
    const specImports = importsOf(specText);
    expect(specImports).toContain('pausedDuring from ../../lib/testing');
    const readmeImports = blocks.flatMap(importsOf);
    expect(readmeImports.length).toBeGreaterThan(10);
    expect(specImports).toEqual(expect.arrayContaining(readmeImports));
  });
});
