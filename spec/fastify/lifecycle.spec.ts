import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { signalsPlugin } from '../../lib';
import { LifecycleLog } from './support/lifecycle-log';

/**
 * The request lifecycle as signals, through inject(): every path that needs no real socket.
 * Real-socket paths (abort, connectionTimeout, streaming, close) are in real-http.spec.ts.
 */
describe('signalsPlugin: the request lifecycle (inject)', () => {
  let app: FastifyInstance;
  let log: LifecycleLog;

  beforeEach(async () => {
    app = Fastify();
    await app.register(signalsPlugin);
    log = new LifecycleLog(app);
  });
  afterEach(() => app.close());

  it('sends requestStarted then requestFinished (completed) for a successful request, sender: the app', async () => {
    app.get('/ok', async () => ({ ok: true }));

    const response = await app.inject('/ok');

    expect(response.statusCode).toBe(200);
    await log.finished('/ok');
    expect(log.of('/ok')).toEqual(['requestStarted', 'requestFinished:completed']);
    const [started, finished] = log.events;
    expect(started.sender).toBe(app);
    expect(finished.sender).toBe(app);
    expect(started.event.request).toBe(finished.event.request);
    expect(started.event.reply).toBe(finished.event.reply);
    expect(finished.event.reply.statusCode).toBe(200);
    expect(finished.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(finished.elapsedMs)).toBe(true);
  });

  it("a 404 for an unknown route is 'completed' (no exception)", async () => {
    const response = await app.inject('/no-such-route');

    expect(response.statusCode).toBe(404);
    await log.finished('/no-such-route');
    expect(log.of('/no-such-route')).toEqual(['requestStarted', 'requestFinished:completed']);
  });

  // An error that reaches Fastify's onError, from the handler or from Fastify's own checks:
  // one exception carrying it, then finish 'errored'.
  const erroredRequests: {
    title: string;
    route: (app: FastifyInstance) => unknown;
    request: InjectOptions & { url: string };
    status: number;
    error: object;
  }[] = [
    {
      title: "a handler that throws: exception with the error, then finish 'errored'; the response is Fastify's 500",
      route: (app) =>
        app.get('/throws', () => {
          throw new Error('handler failed');
        }),
      request: { url: '/throws' },
      status: 500,
      error: { message: 'handler failed' },
    },
    {
      title: "an async handler that rejects: exception, then finish 'errored'",
      route: (app) =>
        app.get('/rejects', async () => {
          await Promise.resolve();
          throw new Error('async failure');
        }),
      request: { url: '/rejects' },
      status: 500,
      error: { message: 'async failure' },
    },
    {
      title: "a 415 from body parsing (unsupported content type) is an exception, then 'errored'",
      route: (app) => app.post('/upload', async () => 'stored'),
      request: {
        method: 'POST',
        url: '/upload',
        headers: { 'content-type': 'application/x-unknown' },
        payload: 'data',
      },
      status: 415,
      error: { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' },
    },
    {
      title: "a 400 from body parsing (malformed JSON) is an exception, then 'errored'",
      route: (app) => app.post('/json', async (request) => request.body),
      request: {
        method: 'POST',
        url: '/json',
        headers: { 'content-type': 'application/json' },
        payload: '{"unterminated": ',
      },
      status: 400,
      error: { message: expect.stringMatching(/JSON/) },
    },
    {
      title: 'a 400 from schema validation is an exception too',
      route: (app) =>
        app.post(
          '/validated',
          { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
          async () => 'ok',
        ),
      request: { method: 'POST', url: '/validated', payload: { other: 1 } },
      status: 400,
      error: {},
    },
  ];
  it.each(erroredRequests)('$title', async ({ route, request, status, error }) => {
    route(app);

    const response = await app.inject(request);

    expect(response.statusCode).toBe(status);
    await log.finished(request.url);
    expect(log.of(request.url)).toEqual(['requestStarted', 'gotRequestException', 'requestFinished:errored']);
    expect(log.events[1].error).toEqual(expect.objectContaining(error));
  });

  it('sends every exception of a request, in order, before its one finish', async () => {
    // The handler fails, then an onSend hook fails while sending the error response: two exceptions.
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode === 500 && request.headers['x-fail-twice'] === 'yes' && !reply.getHeader('x-seen')) {
        reply.header('x-seen', '1');
        throw new Error('onSend failed too');
      }
      return payload;
    });
    app.get('/twice', async () => {
      throw new Error('handler failed');
    });

    const response = await app.inject({ url: '/twice', headers: { 'x-fail-twice': 'yes' } });

    expect(response.statusCode).toBe(500);
    await log.finished('/twice');
    expect(log.of('/twice')).toEqual([
      'requestStarted',
      'gotRequestException',
      'gotRequestException',
      'requestFinished:errored',
    ]);
    expect(log.events.slice(1, 3).map((event) => event.error?.message)).toEqual([
      'handler failed',
      'onSend failed too',
    ]);
  });

  it("handlerTimeout firing: exception (FST_ERR_HANDLER_TIMEOUT), then finish 'timeout'; the response is Fastify's 503", async () => {
    await app.close();
    app = Fastify({ handlerTimeout: 50 });
    await app.register(signalsPlugin);
    log = new LifecycleLog(app);
    let release!: () => void;
    const handlerMayEnd = new Promise<void>((resolve) => (release = resolve));
    app.get('/stuck', async () => {
      await handlerMayEnd;
      return 'too late';
    });

    const response = await app.inject('/stuck');
    release();

    expect(response.statusCode).toBe(503);
    await log.finished('/stuck');
    expect(log.of('/stuck')).toEqual(['requestStarted', 'gotRequestException', 'requestFinished:timeout']);
    expect((log.events[1].error as Error & { code?: string }).code).toBe('FST_ERR_HANDLER_TIMEOUT');
  });

  it('keeps each request in order when many run concurrently', async () => {
    app.get('/mixed/:n', async (request) => {
      const n = Number((request.params as { n: string }).n);
      await new Promise((resolve) => setImmediate(resolve));
      if (n % 3 === 0) throw new Error(`failure ${n}`);
      return { n };
    });

    await Promise.all(Array.from({ length: 30 }, (_, n) => app.inject(`/mixed/${n}`)));

    await log.until(() => log.finishes().length === 30, '30 finishes');
    for (let n = 0; n < 30; n++) {
      const expected =
        n % 3 === 0
          ? ['requestStarted', 'gotRequestException', 'requestFinished:errored']
          : ['requestStarted', 'requestFinished:completed'];
      expect(log.of(`/mixed/${n}`)).toEqual(expected);
    }
    // Interleaved, not serialized: several requests started before the first one finished.
    const firstFinish = log.all().findIndex((line) => line.includes('requestFinished'));
    expect(
      log
        .all()
        .slice(0, firstFinish)
        .filter((line) => line.endsWith('requestStarted')).length,
    ).toBeGreaterThan(1);
  });
});

describe('signalsPlugin: onRequest hooks of other plugins', () => {
  const failingHook = fastifyPlugin(async (instance) => {
    instance.addHook('onRequest', async (request) => {
      if (request.headers['x-deny'] === 'throw') throw new Error('denied by another plugin');
    });
  });
  const answeringHook = fastifyPlugin(async (instance) => {
    instance.addHook('onRequest', async (request, reply) => {
      if (request.headers['x-deny'] === 'answer') {
        reply.code(401).send({ denied: true });
        return reply;
      }
    });
  });

  // The same request through a guarding hook, registered before or after the plugin.
  it.each([
    {
      title: "registered after the plugin, a throwing hook gives start, exception, finish 'errored'",
      plugins: [signalsPlugin, failingHook],
      deny: 'throw',
      status: 500,
      lifecycle: ['requestStarted', 'gotRequestException', 'requestFinished:errored'],
      exceptions: ['denied by another plugin'],
    },
    {
      title:
        'registered BEFORE the plugin, a throwing hook still gives start, exception, finish (started at the exception)',
      plugins: [failingHook, signalsPlugin],
      deny: 'throw',
      status: 500,
      lifecycle: ['requestStarted', 'gotRequestException', 'requestFinished:errored'],
      exceptions: ['denied by another plugin'],
    },
    {
      title: "registered after the plugin, a hook that answers early (401) gives start, finish 'completed'",
      plugins: [signalsPlugin, answeringHook],
      deny: 'answer',
      status: 401,
      lifecycle: ['requestStarted', 'requestFinished:completed'],
      exceptions: [],
    },
  ])('$title', async ({ plugins, deny, status, lifecycle, exceptions }) => {
    const app = Fastify();
    for (const plugin of plugins) await app.register(plugin);
    const log = new LifecycleLog(app);
    app.get('/guarded', async () => 'secret');

    const response = await app.inject({ url: '/guarded', headers: { 'x-deny': deny } });

    expect(response.statusCode).toBe(status);
    await log.finished('/guarded');
    expect(log.of('/guarded')).toEqual(lifecycle);
    expect(log.events.flatMap(({ error }) => (error ? [error.message] : []))).toEqual(exceptions);
    await app.close();
  });
});
