import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { requestFinished, requestStarted, signalsPlugin, type SignalsPluginOptions } from '../../lib';
import { deferred } from '../core/support/waiting';
import { closed, get, hangUpAt, listen, sendRawGet } from './support/http';
import { LifecycleLog } from './support/lifecycle-log';

/**
 * The paths that only real sockets on 127.0.0.1 show: client aborts, socket timeouts, streamed
 * and hijacked responses, closing with requests in flight, many concurrent connections.
 */
describe('signalsPlugin over real HTTP', () => {
  let app: FastifyInstance;
  let log: LifecycleLog;

  /** A fresh app with the plugin (given `pluginOptions`) and its log; `/after` is for {@link requestAfterwards}. */
  async function start(options: FastifyServerOptions = {}, pluginOptions: SignalsPluginOptions = {}): Promise<void> {
    app = Fastify(options);
    await app.register(signalsPlugin, pluginOptions);
    log = new LifecycleLog(app);
    app.get('/after', async () => 'after');
  }
  afterEach(() => app.close());

  /**
   * Lets what an aborted request left behind (a late handler, a late reply) run through Fastify:
   * a whole other request starts and finishes after it.
   */
  async function requestAfterwards(port: number): Promise<void> {
    await get(port, '/after');
    await log.finished('/after');
  }

  it.each([
    {
      title:
        "a client that aborts mid-handler: finish 'aborted' at once, and no second finish nor exception when the handler ends later",
      endHandler: (): never => {
        throw new Error('failing after the client left');
      },
    },
    {
      title: "an aborted request whose handler completes normally later still finishes once, 'aborted'",
      endHandler: (reply: FastifyReply) => reply.send('done'),
    },
  ])('$title', async ({ endHandler }) => {
    await start();
    const handlerEntered = deferred();
    const handlerMayEnd = deferred();
    const handlerEnded = deferred();
    app.get('/slow', async (_request, reply) => {
      handlerEntered.resolve();
      await handlerMayEnd.promise;
      handlerEnded.resolve();
      return endHandler(reply);
    });
    const port = await listen(app);

    await hangUpAt(port, '/slow', handlerEntered.promise);

    await log.finished('/slow');
    expect(log.of('/slow')).toEqual(['requestStarted', 'requestFinished:aborted']);

    handlerMayEnd.resolve();
    await handlerEnded.promise;
    await requestAfterwards(port);
    expect(log.of('/slow')).toEqual(['requestStarted', 'requestFinished:aborted']);
  });

  it("a client that aborts while awaitStart waits for a receiver: one finish, 'aborted'", async () => {
    await start({}, { awaitStart: { timeoutMs: 10_000 } });
    const receiverCalled = deferred();
    const receiverMayEnd = deferred();
    app.signals.connect(requestStarted, async function openConnection() {
      receiverCalled.resolve();
      await receiverMayEnd.promise;
    });
    const handlerRan = deferred();
    app.get('/waits', async () => {
      handlerRan.resolve();
      return 'late';
    });
    const port = await listen(app);

    await hangUpAt(port, '/waits', receiverCalled.promise);
    await log.finished('/waits');
    receiverMayEnd.resolve(); // Fastify goes on with the request of a client that left
    await handlerRan.promise;
    await requestAfterwards(port);

    expect(log.of('/waits')).toEqual(['requestStarted', 'requestFinished:aborted']);
  });

  it("connectionTimeout firing mid-handler: finish 'timeout'", async () => {
    await start({ connectionTimeout: 500 });
    const handlerMayEnd = deferred();
    app.get('/hang', async () => {
      await handlerMayEnd.promise;
      return 'too late';
    });
    const port = await listen(app);

    const socket = await sendRawGet(port, '/hang');
    await closed(socket); // the server destroys the idle socket after 500 ms
    await log.finished('/hang');
    handlerMayEnd.resolve();

    expect(log.of('/hang')).toEqual(['requestStarted', 'requestFinished:timeout']);
  });

  it("a request that completes on a server with connectionTimeout is still 'completed'", async () => {
    await start({ connectionTimeout: 5000 });
    app.get('/fast', async () => 'fast');
    const port = await listen(app);

    expect((await get(port, '/fast')).status).toBe(200);

    await log.finished('/fast');
    expect(log.of('/fast')).toEqual(['requestStarted', 'requestFinished:completed']);
  });

  it('a streamed reply finishes only after its last chunk went out', async () => {
    await start();
    const body = new Readable({ read() {} });
    app.get('/stream', (_request, reply) => reply.type('text/plain').send(body));
    const port = await listen(app);

    const firstChunk = deferred<string>();
    const whole = new Promise<string>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/stream', agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          firstChunk.resolve(text);
        });
        response.on('end', () => resolve(text));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
    body.push('first,');

    expect(await firstChunk.promise).toBe('first,');
    // The client holds a chunk of a response that is still open: not finished.
    expect(log.of('/stream')).toEqual(['requestStarted']);

    body.push('last');
    body.push(null);
    expect(await whole).toBe('first,last');
    await log.finished('/stream');
    expect(log.of('/stream')).toEqual(['requestStarted', 'requestFinished:completed']);
  });

  it("a stream cut by the client before its end is 'aborted'", async () => {
    await start();
    const body = new Readable({ read() {} });
    app.get('/stream', (_request, reply) => reply.send(body));
    const port = await listen(app);

    const socket = await sendRawGet(port, '/stream');
    const gotData = new Promise((resolve) => socket.once('data', resolve));
    body.push('partial');
    await gotData;
    socket.destroy();

    await log.finished('/stream');
    expect(log.of('/stream')).toEqual(['requestStarted', 'requestFinished:aborted']);
  });

  it("handlerTimeout firing after the headers went out (a stalled stream): finish 'timeout'", async () => {
    await start({ handlerTimeout: 100 });
    app.get('/stalls', (_request, reply) => {
      // Headers and a first chunk go out in this tick, long before the 100 ms; then nothing comes.
      const body = new Readable({ read() {} });
      body.push('partial');
      return reply.send(body);
    });
    const port = await listen(app);

    const socket = await sendRawGet(port, '/stalls');
    const firstData = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    // After 100 ms Fastify destroys the response (no onError: the headers are out).
    await closed(socket);

    expect((await firstData).toString('utf8')).toMatch(/^HTTP\/1\.1 200/);
    await log.finished('/stalls');
    expect(log.of('/stalls')).toEqual(['requestStarted', 'requestFinished:timeout']);
  });

  it("reply.hijack(): finishes when the hijacking code ends the raw response ('completed')", async () => {
    await start();
    const mayEnd = deferred();
    app.get('/hijacked', async (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      reply.raw.write('raw ');
      void mayEnd.promise.then(() => reply.raw.end('end'));
    });
    const port = await listen(app);

    const response = get(port, '/hijacked');
    await log.until(() => log.of('/hijacked').length === 1, 'the hijacked request to start');
    expect(log.of('/hijacked')).toEqual(['requestStarted']);
    mayEnd.resolve();

    expect((await response).body).toBe('raw end');
    await log.finished('/hijacked');
    expect(log.of('/hijacked')).toEqual(['requestStarted', 'requestFinished:completed']);
  });

  it("reply.hijack() whose client leaves before the raw response ends is 'aborted'", async () => {
    await start();
    const hijacked = deferred();
    app.get('/hijacked', async (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200);
      reply.raw.write('never ended');
      hijacked.resolve();
    });
    const port = await listen(app);

    await hangUpAt(port, '/hijacked', hijacked.promise);

    await log.finished('/hijacked');
    expect(log.of('/hijacked')).toEqual(['requestStarted', 'requestFinished:aborted']);
  });

  it('app.close() with requests in flight: each finishes once, seen by app.signals receivers, then the app is closed', async () => {
    await start();
    let handlersEntered = 0;
    const allEntered = new Promise<void>((resolve) => {
      app.get('/inflight/:n', async (request) => {
        if (++handlersEntered === 5) resolve();
        await handlersMayEnd.promise;
        return (request.params as { n: string }).n;
      });
    });
    const handlersMayEnd = deferred();
    const port = await listen(app);

    const responses = Promise.all([0, 1, 2, 3, 4].map((n) => get(port, `/inflight/${n}`)));
    await allEntered;
    const closing = app.close(); // Fastify drains the requests in flight before its onClose hooks
    handlersMayEnd.resolve();

    expect((await responses).map((response) => response.body)).toEqual(['0', '1', '2', '3', '4']);
    await closing;
    for (let n = 0; n < 5; n++)
      expect(log.of(`/inflight/${n}`)).toEqual(['requestStarted', 'requestFinished:completed']);
    expect(log.subscription.closed).toBe(true); // app.signals receivers disconnected at close
    expect(requestFinished.hasListeners(app)).toBe(false);
  });

  it('200 concurrent requests over real HTTP: each has exactly one start and one finish, start first', async () => {
    await start();
    let inHandler = 0;
    let maxInHandler = 0;
    app.get('/concurrent/:n', async (request) => {
      inHandler++;
      maxInHandler = Math.max(maxInHandler, inHandler);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inHandler--;
      return (request.params as { n: string }).n;
    });
    const port = await listen(app);

    const responses = await Promise.all(Array.from({ length: 200 }, (_, n) => get(port, `/concurrent/${n}`)));

    expect(responses.every((response, n) => response.status === 200 && response.body === String(n))).toBe(true);
    await log.until(() => log.finishes().length === 200, '200 finishes');
    const byRequest = new Map<string, string[]>();
    for (const event of log.events) {
      byRequest.set(event.id, [...(byRequest.get(event.id) ?? []), `${event.signal}:${event.outcome ?? ''}`]);
    }
    expect(byRequest.size).toBe(200);
    for (const events of byRequest.values()) expect(events).toEqual(['requestStarted:', 'requestFinished:completed']);
    expect(maxInHandler).toBeGreaterThan(1); // they really overlapped
  });
});
