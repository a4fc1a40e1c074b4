/**
 * Runs the examples of the README's `testing` section, so they cannot rot: each README block
 * is copied below verbatim (imports aside, which point into lib/ and demo/ here), and the last
 * tests fail if the README and this file ever differ (spec/support/readme-examples.ts).
 */
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
  testClient,
  testScheduler,
} from '../../lib/testing';
import { DemoDatabase } from '../../demo/database';
import { readmeExamples } from '../support/readme-examples';

describe('README: the test client', () => {
  const db = new DemoDatabase();
  const app = Fastify();
  beforeAll(async () => {
    await app.register(signalsPlugin);
    await app.register(fastifyView, { engine: { handlebars }, root: 'demo/views' });
    db.connectToRequestSignals(app); // closeStaleConnections on requestStarted and requestFinished
    app.get('/users', (_request, reply) => reply.view('users.hbs', { users: db.rows('users') }));
    app.post<{ Body: { name: string } }>('/users', async (request, reply) => {
      db.insert('users', { name: request.body.name });
      return reply.redirect('/users');
    });
  });
  afterAll(async () => {
    await app.close();
    db.destroy(); // removes its temporary SQLite file
  });

  test('the test transaction survives the client’s requests', async () => {
    db.begin();
    db.insert('users', { name: 'ada' });
    const client = testClient(app, { mute: [db.closeStaleConnections] });

    const page = await client.get('/users');
    expect(page.templates).toEqual(['users.hbs']);
    expect(page.context).toEqual({ users: [{ name: 'ada' }] }); // the uncommitted row
    expect(page.marbles).toBe('stf'); // started, template rendered, finished

    const created = await client.post('/users', { payload: { name: 'bob' }, follow: true });
    expect(created.redirects.map((hop) => hop.statusCode)).toEqual([302]);
    expect(created.context).toEqual({ users: [{ name: 'ada' }, { name: 'bob' }] });
    expect(db.inTransaction).toBe(true); // closeStaleConnections never ran for these requests
    db.rollback();
  });
});

describe('README: the test client, users and redirects', () => {
  test('users, default headers and redirects', async () => {
    const app = Fastify();
    await app.register(signalsPlugin);
    app.get('/me', async (request) => ({ user: request.headers['x-user'] ?? null, tenant: request.headers['x-tenant'] }));
    app.get('/whoami', async (_request, reply) => reply.redirect('/me', 301));
    const client = testClient(app, {
      headers: { 'x-tenant': 'acme' },
      authenticate: (user: { name: string }) => ({ 'x-user': user.name }),
    });

    expect((await client.get('/me')).json()).toEqual({ user: null, tenant: 'acme' });
    const response = await client.get('/whoami', { user: { name: 'ada' }, follow: true });
    expect(response.json()).toEqual({ user: 'ada', tenant: 'acme' });
    expect(response.redirects.map((hop) => [hop.statusCode, hop.marbles])).toEqual([[301, 'sf']]);
    await app.close();
  });
});

describe('README: pausing on the app’s own terms', () => {
  test('a paused receiver keeps its place', async () => {
    const db = new DemoDatabase();
    const cleanupPaused$ = new BehaviorSubject(false);
    const app = Fastify();
    await app.register(signalsPlugin);
    app.signals.connect(requestStarted, db.closeStaleConnections, { pipe: pausable(cleanupPaused$) });
    app.signals.connect(requestFinished, db.closeStaleConnections, { pipe: pausable(cleanupPaused$) });
    app.get('/users', async () => db.rows('users'));

    db.begin();
    db.insert('users', { name: 'ada' });
    const response = await pausedDuring(cleanupPaused$, () => app.inject('/users'));
    expect(response.json()).toEqual([{ name: 'ada' }]); // the handler saw the uncommitted row
    expect(db.inTransaction).toBe(true); // closeStaleConnections did not run
    await app.close();
    db.destroy();
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
  const readme = readmeExamples({
    sections: ['testing'],
    spec: __filename,
    modules: {
      fastify: 'fastify',
      '@fastify/view': '@fastify/view',
      handlebars: 'handlebars',
      rxjs: 'rxjs',
      'rx-signals': '../../lib',
      'rx-signals/testing': '../../lib/testing',
      './demo/database': '../../demo/database',
    },
  });

  it('shows exactly the examples this file runs', () => {
    expect(readme.blocks.length).toBeGreaterThanOrEqual(8);
    readme.expectCopiedInOrder();
  });

  it('imports in its examples what this file imports', () => {
    readme.expectSameImports();
  });
});
