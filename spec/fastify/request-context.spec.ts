import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import { fastifyRequestContext, requestContext } from '@fastify/request-context';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { gotRequestException, requestFinished, requestStarted, signalsPlugin } from '../../lib';
import type { RequestState } from '../../lib/fastify/request-state';
import { deferred } from '../core/support/waiting';
import { closed, get, hangUpAt, listen, pipeline, sendRawGet } from './support/http';
import { h2Client } from './support/http2';
import { LifecycleLog } from './support/lifecycle-log';

/**
 * Receivers of gotRequestException and requestFinished run in the async context of their
 * request as its onRequest hooks left it, on every path; requestStarted in the plugin's own
 * onRequest hook (the contexts of hooks registered before the plugin).
 *
 * Longer than 300 lines: one guarantee checked path by path (HTTP/1.1, pipelining, HTTP/2,
 * timeouts, close, route hooks, 404s, the real plugin), all sharing the app builders above them.
 */

declare module '@fastify/request-context' {
  interface RequestContextData {
    user: string;
  }
}

/** What each receiver saw of the request's context: `signal url → store`. */
type Seen = Record<string, string | undefined>;

const storage = new AsyncLocalStorage<string>();

/** Connects receivers on the three request signals that write down `store()` as they run. */
function recordStores(app: FastifyInstance, seen: Seen, store: () => string | undefined): void {
  const record =
    (name: string) =>
    ({ request }: { request: { url: string } }) => {
      seen[`${name} ${request.url}`] = store();
    };
  app.signals.connect(requestStarted, record('requestStarted'));
  app.signals.connect(gotRequestException, record('gotRequestException'));
  app.signals.connect(requestFinished, record('requestFinished'));
}

/**
 * An app with the plugin registered first and, after it, an onRequest hook that enters a bare
 * AsyncLocalStorage for each request (`ctx /url`); receivers on the three signals write down the
 * store they run in.
 */
async function appWithLaterContextHook(options: FastifyServerOptions & { http2?: boolean } = {}) {
  const app = Fastify(options as FastifyServerOptions) as unknown as FastifyInstance;
  await app.register(signalsPlugin);
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url === '/hook-fails') storage.run(`ctx ${request.url}`, () => done(new Error('hook failed')));
    else storage.run(`ctx ${request.url}`, done);
  });
  const seen: Seen = {};
  recordStores(app, seen, () => storage.getStore());
  const log = new LifecycleLog(app);
  app.get('/ok', async () => 'ok');
  app.get('/fails', async () => {
    throw new Error('handler failed');
  });
  app.post('/json', async (request) => request.body);
  app.get('/hook-fails', async () => 'never');
  return { app, seen, log };
}

/** The stores the exception and finish receivers saw for `url`, and the outcome. */
function contextOf(seen: Seen, log: LifecycleLog, url: string) {
  return {
    exception: seen[`gotRequestException ${url}`],
    finish: seen[`requestFinished ${url}`],
    outcome: log.finishes().find((event) => event.url === url)?.outcome,
  };
}

describe('request context: a bare AsyncLocalStorage entered by an onRequest hook registered after the plugin', () => {
  let app: FastifyInstance;
  afterEach(() => app.close());

  it("completed, errored (handler, body parsing, a failing onRequest hook): exception and finish receivers run in the request's context", async () => {
    const started = await appWithLaterContextHook();
    app = started.app;
    const { seen, log } = started;

    await app.inject('/ok');
    await app.inject('/fails');
    await app.inject({
      method: 'POST',
      url: '/json',
      headers: { 'content-type': 'application/json' },
      payload: '{"a": ',
    });
    await app.inject({ method: 'POST', url: '/json', payload: { parsed: true } });
    await app.inject('/hook-fails');

    await log.until(() => log.finishes().length === 5, '5 finishes');
    expect(contextOf(seen, log, '/ok')).toEqual({ exception: undefined, finish: 'ctx /ok', outcome: 'completed' });
    expect(contextOf(seen, log, '/fails')).toEqual({
      exception: 'ctx /fails',
      finish: 'ctx /fails',
      outcome: 'errored',
    });
    expect(log.of('/json')).toEqual([
      'requestStarted',
      'gotRequestException',
      'requestFinished:errored',
      'requestStarted',
      'requestFinished:completed',
    ]);
    expect([seen['gotRequestException /json'], seen['requestFinished /json']]).toEqual(['ctx /json', 'ctx /json']);
    expect(contextOf(seen, log, '/hook-fails')).toEqual({
      exception: 'ctx /hook-fails',
      finish: 'ctx /hook-fails',
      outcome: 'errored',
    });
    // requestStarted runs in the plugin's own onRequest hook, before the later hook entered it.
    expect(seen['requestStarted /ok']).toBeUndefined();
  });

  it('aborted, streamed and pipelined requests over real sockets: the finish runs in its request context', async () => {
    const started = await appWithLaterContextHook();
    app = started.app;
    const { seen, log } = started;
    const abortEntered = deferred();
    const abortMayEnd = deferred();
    app.get('/abort', async () => {
      abortEntered.resolve();
      await abortMayEnd.promise;
      return 'late';
    });
    app.get('/stream', (_request, reply) => reply.send(Readable.from(['a', 'b'])));
    const slowMayEnd = deferred();
    app.get('/slow', async () => {
      await slowMayEnd.promise;
      return 'slow';
    });
    const port = await listen(app);

    await hangUpAt(port, '/abort', abortEntered.promise);
    expect((await get(port, '/stream')).body).toBe('ab');
    const socket = await pipeline(port, ['/slow', '/ok']);
    await log.until(() => log.of('/ok').length === 1, 'the queued /ok to start');
    socket.destroy();

    await log.until(() => log.finishes().length === 4, '4 finishes');
    slowMayEnd.resolve();
    abortMayEnd.resolve();
    expect(contextOf(seen, log, '/abort')).toEqual({ exception: undefined, finish: 'ctx /abort', outcome: 'aborted' });
    expect(contextOf(seen, log, '/stream')).toEqual({
      exception: undefined,
      finish: 'ctx /stream',
      outcome: 'completed',
    });
    expect(contextOf(seen, log, '/slow')).toEqual({ exception: undefined, finish: 'ctx /slow', outcome: 'aborted' });
    expect(contextOf(seen, log, '/ok')).toEqual({ exception: undefined, finish: 'ctx /ok', outcome: 'aborted' });
  });

  it('connectionTimeout: the finish runs in its request context', async () => {
    const started = await appWithLaterContextHook({ connectionTimeout: 200 });
    app = started.app;
    const { seen, log } = started;
    const hangMayEnd = deferred();
    app.get('/hang', async () => {
      await hangMayEnd.promise;
      return 'late';
    });
    const port = await listen(app);

    await closed(await sendRawGet(port, '/hang')); // the server destroys it after connectionTimeout
    await log.finished('/hang');
    hangMayEnd.resolve();

    expect(contextOf(seen, log, '/hang')).toEqual({ exception: undefined, finish: 'ctx /hang', outcome: 'timeout' });
  });

  it('HTTP/2: completed and cancelled streams finish in their request context', async () => {
    const started = await appWithLaterContextHook({ http2: true });
    app = started.app;
    const { seen, log } = started;
    const entered = deferred();
    const mayEnd = deferred();
    app.get('/cancelled', async () => {
      entered.resolve();
      await mayEnd.promise;
      return 'late';
    });
    const client = h2Client(await listen(app));

    await client.get('/ok');
    await client.get('/fails');
    await client.cancelAt('/cancelled', entered.promise);

    await log.until(() => log.finishes().length === 3, '3 finishes');
    mayEnd.resolve();
    client.destroy();
    expect(contextOf(seen, log, '/ok')).toEqual({ exception: undefined, finish: 'ctx /ok', outcome: 'completed' });
    expect(contextOf(seen, log, '/fails')).toEqual({
      exception: 'ctx /fails',
      finish: 'ctx /fails',
      outcome: 'errored',
    });
    expect(contextOf(seen, log, '/cancelled')).toEqual({
      exception: undefined,
      finish: 'ctx /cancelled',
      outcome: 'aborted',
    });
  });

  it('app.close() with forceCloseConnections: the finishes it sends run in their request context', async () => {
    const started = await appWithLaterContextHook({ forceCloseConnections: true });
    app = started.app;
    const { seen, log } = started;
    const entered = deferred();
    app.get('/hangs', async () => {
      entered.resolve();
      await new Promise(() => undefined);
    });
    const port = await listen(app);
    const response = get(port, '/hangs').catch((error: Error) => error);
    await entered.promise;

    await app.close();

    expect(contextOf(seen, log, '/hangs')).toEqual({ exception: undefined, finish: 'ctx /hangs', outcome: 'aborted' });
    await response;
  });

  it('requestStarted sees the context of an onRequest hook registered before the plugin', async () => {
    app = Fastify();
    app.addHook('onRequest', (request, _reply, done) => storage.run(`ctx ${request.url}`, done));
    await app.register(signalsPlugin);
    const seen: string[] = [];
    app.signals.connect(requestStarted, () => seen.push(`start ${storage.getStore()}`));
    app.signals.connect(requestFinished, () => seen.push(`finish ${storage.getStore()}`));
    app.get('/ok', async () => 'ok');

    await app.inject('/ok');

    expect(seen).toEqual(['start ctx /ok', 'finish ctx /ok']);
  });

  it("a route's own onRequest hooks (route options, single or a list): the finish runs in the context they left; its own options are kept", async () => {
    app = Fastify();
    await app.register(signalsPlugin);
    const seen: Seen = {};
    recordStores(app, seen, () => storage.getStore());
    const enter = (request: { url: string }, _reply: unknown, done: () => void) =>
      storage.run(`route ctx ${request.url}`, done);
    const routeHooks: unknown[] = [];
    app.addHook('onRoute', (route) => {
      routeHooks.push(route.onRequest);
    });
    app.get('/single', { onRequest: enter }, async () => 'ok');
    app.get('/list', { onRequest: [enter] }, async () => {
      throw new Error('route failed');
    });
    await app.ready();

    await app.inject('/single');
    await app.inject('/list');

    expect(seen).toEqual({
      'requestStarted /single': undefined,
      'requestFinished /single': 'route ctx /single',
      'requestStarted /list': undefined,
      'gotRequestException /list': 'route ctx /list',
      'requestFinished /list': 'route ctx /list',
    });
    // An onRoute hook registered after the plugin sees the route's hooks then the plugin's (GET and HEAD).
    expect(routeHooks.map((hooks) => (hooks as Function[]).map((hook) => hook === enter))).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [true, false],
    ]);
  });

  it("adds no preParsing hook (a hook stage costs every request): the context is settled by the route's last onRequest hook", async () => {
    app = Fastify();
    await app.register(signalsPlugin);
    app.get('/ok', async () => 'ok');
    await app.ready();

    const printed = app.printRoutes({ includeHooks: true, commonPrefix: false });

    expect(printed).not.toContain('preParsing');
    expect(printed.split('\n').slice(0, 3)).toEqual([
      '└── /ok (GET)',
      '    • (onRequest) ["onRequest()","afterOnRequestHooks()"]',
      '    • (onError) ["onError()"]',
    ]);
  });

  it('a request matching no route (a 404) has no route hooks: it finishes in the context of the hooks registered before the plugin (the README says so)', async () => {
    app = Fastify();
    const before = new AsyncLocalStorage<string>();
    app.addHook('onRequest', (request, _reply, done) => before.run(`before ${request.url}`, done));
    await app.register(signalsPlugin);
    app.addHook('onRequest', (request, _reply, done) => storage.run(`ctx ${request.url}`, done));
    const seen: string[] = [];
    app.signals.connect(requestFinished, ({ outcome }) =>
      seen.push(`${outcome} ${before.getStore()} ${storage.getStore()}`),
    );
    app.get('/ok', async () => 'ok');

    await app.inject('/missing');
    await app.inject('/ok');

    expect(seen).toEqual(['completed before /missing undefined', 'completed before /ok ctx /ok']);
  });

  it('captures a context only for requests someone follows with an exception or finish receiver', async () => {
    app = Fastify();
    await app.register(signalsPlugin);
    const states: (RequestState | undefined)[] = [];
    app.signals.connect(requestStarted, ({ request }) => {
      states.push(
        (app.signals as unknown as { lifecycle: { stateOf(r: unknown): RequestState } }).lifecycle.stateOf(request),
      );
    });
    app.get('/ok', async () => 'ok');

    await app.inject('/ok');
    const finishing = app.signals.connect(requestFinished, () => undefined);
    await app.inject('/ok');
    finishing.unsubscribe();

    expect(states.map((state) => state?.context !== undefined)).toEqual([false, true]);
  });
});

describe('request context: the real @fastify/request-context plugin', () => {
  it.each([
    ['registered after the plugin', false],
    ['registered before the plugin', true],
  ])(
    '%s: receivers of every request signal read the request context (completed, errored, aborted, a parsed body)',
    async (_order, contextFirst) => {
      const app = Fastify();
      const contextPlugin = () =>
        app.register(fastifyRequestContext, { defaultStoreValues: (request) => ({ user: `user of ${request.url}` }) });
      if (contextFirst) await contextPlugin();
      await app.register(signalsPlugin);
      if (!contextFirst) await contextPlugin();
      const seen: Seen = {};
      recordStores(app, seen, () => requestContext.get('user'));
      const log = new LifecycleLog(app);
      const entered = deferred();
      const mayEnd = deferred();
      app.get('/ok', async () => 'ok');
      app.get('/fails', async () => {
        throw new Error('handler failed');
      });
      app.post('/json', async (request) => request.body);
      app.get('/abort', async () => {
        entered.resolve();
        await mayEnd.promise;
        return 'late';
      });
      const port = await listen(app);

      await app.inject('/ok');
      await app.inject('/fails');
      await app.inject({ method: 'POST', url: '/json', payload: { a: 1 } });
      await hangUpAt(port, '/abort', entered.promise);
      await log.until(() => log.finishes().length === 4, '4 finishes');
      mayEnd.resolve();
      await app.close();

      expect(seen).toEqual({
        ...(contextFirst
          ? {
              'requestStarted /ok': 'user of /ok',
              'requestStarted /fails': 'user of /fails',
              'requestStarted /json': 'user of /json',
              'requestStarted /abort': 'user of /abort',
            }
          : {
              'requestStarted /ok': undefined,
              'requestStarted /fails': undefined,
              'requestStarted /json': undefined,
              'requestStarted /abort': undefined,
            }),
        'requestFinished /ok': 'user of /ok',
        'gotRequestException /fails': 'user of /fails',
        'requestFinished /fails': 'user of /fails',
        'requestFinished /json': 'user of /json',
        'requestFinished /abort': 'user of /abort',
      });
    },
  );
});
