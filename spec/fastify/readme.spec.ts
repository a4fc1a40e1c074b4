/**
 * Runs the examples of the README's `plugin` section, so they cannot rot. The code below is
 * copied verbatim from README.md; a test fails if the two ever differ (spec/support/readme-examples.ts),
 * and each example's `console.log(...) // → output` comments are checked against what it really prints.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import Fastify from 'fastify';
import { signalsPlugin, requestStarted, gotRequestException, requestFinished } from '../../lib';
import { filter, mergeMap, toArray } from 'rxjs';
import { itRunsEachExample, readmeExamples, type ReadmeExample } from '../support/readme-examples';

/** The README's examples after its imports, verbatim and in README order. */
const examples: ReadmeExample[] = [
  [
    'register and connect',
    async () => {
      const app = Fastify();
      await app.register(signalsPlugin); // register it first: before plugins whose onRequest hooks answer requests
      app.get('/hello', async () => ({ hello: 'world' }));
      app.get('/boom', async () => {
        throw new Error('boom');
      });

      const seen: string[] = [];
      // Like signal.connect, with `sender` defaulting to this app; app.close() disconnects it.
      app.signals.connect(requestStarted, ({ request }) => seen.push(`start ${request.url}`));
      app.signals.connect(gotRequestException, ({ error }) => seen.push(`exception ${error.message}`));
      app.signals.connect(requestFinished, ({ outcome }) => seen.push(`finish ${outcome}`));

      await app.inject('/hello');
      await app.inject('/boom');
      console.log(seen.join(', ')); // → start /hello, finish completed, start /boom, exception boom, finish errored
      await app.close();
      console.log(requestFinished.hasListeners(app)); // → false
    },
  ],
  [
    'app.signals streams',
    async () => {
      const app = Fastify();
      await app.register(signalsPlugin);
      app.get('/ok', async () => 'ok');
      app.get('/fails', async () => {
        throw new Error('nope');
      });
      const over: string[] = [];
      app.get('/upload', async (request) => {
        // In a handler: this request's exceptions and finish, whatever else listens.
        app.signals.eventsOf(request).subscribe({ complete: () => over.push(request.url) });
        return 'stored';
      });

      const failedOrSlow: string[] = [];
      app.signals.requestFinished$
        .pipe(filter(({ outcome, elapsedMs }) => outcome !== 'completed' || elapsedMs > 1000))
        .subscribe(({ request, outcome }) => failedOrSlow.push(`${request.url} ${outcome}`));
      const lifecycles: string[] = [];
      app.signals.requests$
        .pipe(mergeMap((events$) => events$.pipe(toArray())))
        .subscribe((events) => lifecycles.push(events.map(({ signal }) => signal.name).join(' → ')));

      await app.inject('/ok');
      await app.inject('/fails');
      await app.inject('/upload');
      console.log(failedOrSlow.join('; ')); // → /fails errored
      console.log(lifecycles[1]); // → requestStarted → gotRequestException → requestFinished
      console.log(lifecycles.length, over.join()); // → 3 /upload
      await app.close();
    },
  ],
  [
    'request context',
    async () => {
      const app = Fastify();
      const user = new AsyncLocalStorage<string>();
      await app.register(signalsPlugin);
      // Entered after the plugin, as a context plugin registered later would.
      app.addHook('onRequest', (request, _reply, done) => user.run(String(request.headers['x-user']), done));
      app.get('/fails', async () => {
        throw new Error('nope');
      });

      const seen: string[] = [];
      app.signals.connect(requestStarted, () => seen.push(`start ${user.getStore()}`));
      app.signals.connect(gotRequestException, () => seen.push(`exception ${user.getStore()}`));
      app.signals.connect(requestFinished, ({ outcome }) => seen.push(`${outcome} ${user.getStore()}`));

      await app.inject({ url: '/fails', headers: { 'x-user': 'ada' } });
      console.log(seen.join(', ')); // → start undefined, exception ada, errored ada
      await app.close();
    },
  ],
  [
    'options',
    async () => {
      const app = Fastify();
      await app.register(signalsPlugin, { startErrors: 'fail', awaitStart: { timeoutMs: 500 } });
      const connections = new Set<string>();
      app.signals.connect(requestStarted, async function openConnection({ request }) {
        await new Promise((resolve) => setImmediate(resolve)); // e.g. take a pooled connection
        connections.add(request.id);
      });
      app.signals.connect(requestStarted, function authenticate({ request }) {
        if (!request.headers.authorization) throw Object.assign(new Error('who are you?'), { statusCode: 401 });
      });
      app.get('/me', async (request) => ({ connected: connections.has(request.id) }));

      console.log((await app.inject('/me')).statusCode); // → 401
      console.log((await app.inject({ url: '/me', headers: { authorization: 'Bearer t' } })).body); // → {"connected":true}
      await app.close();
    },
  ],
  [
    'encapsulation',
    async () => {
      const app = Fastify();
      app.get('/health', async () => 'ok');
      await app.register(
        async (api) => {
          await api.register(signalsPlugin);
          api.get('/users', async () => []);
          api.signals.requestFinished$.subscribe(({ request }) => console.log(`api saw ${request.url}`)); // → api saw /api/users
        },
        { prefix: '/api' },
      );

      await app.inject('/health');
      await app.inject('/api/users');
      console.log(app.signals); // → undefined
      await app.close();
    },
  ],
];

describe('README plugin section', () => {
  const readme = readmeExamples({
    sections: ['plugin'],
    spec: __filename,
    modules: { 'node:async_hooks': 'node:async_hooks', fastify: 'fastify', 'rx-signals': '../../lib', rxjs: 'rxjs' },
  });
  // The imports, then one block per example.
  const exampleBlocks = readme.blocks.slice(1);

  it('imports only what fastify, rx-signals and rxjs export', () => {
    readme.expectSameImports();
  });

  it('has exactly the examples this file runs, verbatim and in the same order', () => {
    expect(exampleBlocks).toHaveLength(examples.length);
    readme.expectCopiedInOrder();
  });

  itRunsEachExample(examples, exampleBlocks, () => {
    for (const signal of [requestStarted, gotRequestException, requestFinished]) {
      expect(signal.hasListeners()).toBe(false); // each example's app.close() cleaned up
    }
  });
});
