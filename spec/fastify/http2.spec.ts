import { Readable } from 'node:stream';
import type { Http2Server } from 'node:http2';
import Fastify, { type FastifyInstance } from 'fastify';
import { signalsPlugin } from '../../lib';
import { deferred } from '../core/support/waiting';
import { listen } from './support/http';
import { h2Client, type H2Client } from './support/http2';
import { LifecycleLog } from './support/lifecycle-log';

/**
 * Every outcome over HTTP/2 (h2c: `Fastify({ http2: true })` and a `node:http2` client), as
 * real-http.spec.ts tests them over HTTP/1.1. Node's compatibility layer emits `'finish'` then
 * `'close'` on every stream end, cancelled or not: the outcome must come from the stream.
 */
describe('signalsPlugin over HTTP/2 (h2c)', () => {
  let app: FastifyInstance<Http2Server>;
  let log: LifecycleLog;
  let client: H2Client;

  /** Starts an h2c app with the plugin, `/ok`, `/fails` and the test's own `routes`, and a client. */
  async function start(
    routes: (app: FastifyInstance<Http2Server>) => void = () => undefined,
    options: { handlerTimeout?: number; connectionTimeout?: number; http2SessionTimeout?: number } = {},
  ) {
    app = Fastify({ http2: true, ...options });
    await app.register(signalsPlugin);
    log = new LifecycleLog(app);
    app.get('/ok', async () => 'ok');
    app.get('/fails', async () => {
      throw new Error('handler failed');
    });
    routes(app);
    const port = await listen(app);
    client = h2Client(port);
  }
  afterEach(async () => {
    client.destroy();
    await app.close();
  });

  it("a response that went out is 'completed'; a 404 too", async () => {
    await start();

    expect(await client.get('/ok')).toEqual({ status: 200, body: 'ok', error: undefined });
    expect((await client.get('/missing')).status).toBe(404);

    await log.finished('/ok');
    await log.finished('/missing');
    expect(log.of('/ok')).toEqual(['requestStarted', 'requestFinished:completed']);
    expect(log.of('/missing')).toEqual(['requestStarted', 'requestFinished:completed']);
  });

  it("a handler that throws: exception, then 'errored'", async () => {
    await start();

    expect((await client.get('/fails')).status).toBe(500);

    await log.finished('/fails');
    expect(log.of('/fails')).toEqual(['requestStarted', 'gotRequestException', 'requestFinished:errored']);
  });

  it("a client that cancels the stream before the response (NGHTTP2_CANCEL) is 'aborted' (regression: 'completed')", async () => {
    const entered = deferred();
    const mayEnd = deferred();
    await start((app) =>
      app.get('/slow', async () => {
        entered.resolve();
        await mayEnd.promise;
        return 'too late';
      }),
    );

    await client.cancelAt('/slow', entered.promise);
    await log.finished('/slow');
    mayEnd.resolve();
    await client.get('/ok'); // the late handler has run through Fastify by then

    expect(log.of('/slow')).toEqual(['requestStarted', 'requestFinished:aborted']);
  });

  it("a client that cancels a streamed response before its end is 'aborted' (regression: 'completed')", async () => {
    const body = new Readable({ read() {} });
    const firstChunkSent = deferred();
    await start((app) =>
      app.get('/stream', (_request, reply) => {
        body.push('first');
        firstChunkSent.resolve();
        return reply.send(body);
      }),
    );

    await client.cancelAt('/stream', firstChunkSent.promise);

    await log.finished('/stream');
    expect(log.of('/stream')).toEqual(['requestStarted', 'requestFinished:aborted']);
    body.destroy();
  });

  it('a streamed response finishes only after its last chunk went out', async () => {
    const body = new Readable({ read() {} });
    await start((app) => app.get('/stream', (_request, reply) => reply.send(body)));
    body.push('first,');

    const whole = client.get('/stream');
    await log.until(() => log.of('/stream').length === 1, 'the stream to start');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.of('/stream')).toEqual(['requestStarted']);
    body.push('last');
    body.push(null);

    expect((await whole).body).toBe('first,last');
    await log.finished('/stream');
    expect(log.of('/stream')).toEqual(['requestStarted', 'requestFinished:completed']);
  });

  it("a client whose whole session goes away mid-handler is 'aborted'", async () => {
    const entered = deferred();
    const mayEnd = deferred();
    await start((app) =>
      app.get('/slow', async () => {
        entered.resolve();
        await mayEnd.promise;
        return 'too late';
      }),
    );

    client.open('/slow');
    await entered.promise;
    client.destroy();

    await log.finished('/slow');
    mayEnd.resolve();
    expect(log.of('/slow')).toEqual(['requestStarted', 'requestFinished:aborted']);
  });

  it("handlerTimeout before the headers: exception (its 503), then 'timeout'", async () => {
    await start((app) => app.get('/hangs', () => new Promise(() => undefined)), { handlerTimeout: 100 });

    expect((await client.get('/hangs')).status).toBe(503);

    await log.finished('/hangs');
    expect(log.of('/hangs')).toEqual(['requestStarted', 'gotRequestException', 'requestFinished:timeout']);
  });

  it("handlerTimeout after the headers went out (a stalled stream): 'timeout' (regression: 'completed')", async () => {
    await start(
      (app) =>
        app.get('/stalls', (_request, reply) => {
          const body = new Readable({ read() {} });
          body.push('partial');
          return reply.send(body);
        }),
      { handlerTimeout: 100 },
    );

    const received = await client.get('/stalls');

    expect(received).toEqual(expect.objectContaining({ status: 200, body: 'partial' }));
    await log.finished('/stalls');
    expect(log.of('/stalls')).toEqual(['requestStarted', 'requestFinished:timeout']);
  });

  it("connectionTimeout (the session's idle timeout on HTTP/2) ending a request mid-handler: 'timeout' (regression: 'completed')", async () => {
    // Fastify gives HTTP/2 sessions http2SessionTimeout as idle timeout; with connectionTimeout
    // set, Node destroys a session that times out.
    const mayEnd = deferred();
    await start(
      (app) =>
        app.get('/hangs', async () => {
          await mayEnd.promise;
          return 'too late';
        }),
      { connectionTimeout: 150, http2SessionTimeout: 150 },
    );

    const received = await client.get('/hangs');
    mayEnd.resolve();

    expect(received.status).toBeUndefined();
    await log.finished('/hangs');
    expect(log.of('/hangs')).toEqual(['requestStarted', 'requestFinished:timeout']);
  });
});
