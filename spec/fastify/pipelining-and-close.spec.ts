import Fastify, { type FastifyInstance } from 'fastify';
import { mergeMap, type Subscription } from 'rxjs';
import { signalsPlugin } from '../../lib';
import { deferred } from '../core/support/waiting';
import { closed, get, listen, pipeline } from './support/http';
import { LifecycleLog } from './support/lifecycle-log';

/** The open request state of an app: followed requests not finished yet. */
function inFlight(app: FastifyInstance): number {
  return (app.signals as unknown as { lifecycle: { inFlightCount: number } }).lifecycle.inFlightCount;
}

describe('HTTP/1.1 pipelining: a response queued behind another one', () => {
  let app: FastifyInstance;
  let log: LifecycleLog;
  let slowEntered: ReturnType<typeof deferred<void>>;
  let slowMayEnd: ReturnType<typeof deferred<void>>;

  async function start(options: { forceCloseConnections?: boolean } = {}): Promise<number> {
    app = Fastify(options);
    await app.register(signalsPlugin);
    log = new LifecycleLog(app);
    slowEntered = deferred();
    slowMayEnd = deferred();
    app.get('/slow', async () => {
      slowEntered.resolve();
      await slowMayEnd.promise;
      return 'slow';
    });
    app.get('/ok', async () => 'ok');
    return listen(app);
  }
  afterEach(async () => {
    slowMayEnd.resolve();
    await app.close();
  });

  it("whose socket is destroyed while the first one runs finishes once, 'aborted' (regression: it never finished)", async () => {
    const port = await start();
    const socket = await pipeline(port, ['/slow', '/ok']);
    await slowEntered.promise;
    // /ok was answered at once, but its response waits behind /slow's on the socket.
    await log.until(() => log.of('/ok').length === 1, '/ok to start');

    socket.destroy();

    await log.finished('/ok');
    await log.finished('/slow');
    expect(log.of('/slow')).toEqual(['requestStarted', 'requestFinished:aborted']);
    expect(log.of('/ok')).toEqual(['requestStarted', 'requestFinished:aborted']);
    slowMayEnd.resolve();
    await get(port, '/ok'); // the late /slow handler has run through Fastify by then
    expect(log.finishes()).toHaveLength(3);
    expect(inFlight(app)).toBe(0);
  });

  it('a pipelined pair that completes is two completed requests, in order', async () => {
    const port = await start();
    const socket = await pipeline(port, ['/slow', '/ok']);
    const received = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('\r\n\r\nok')) resolve(text);
      });
    });
    await slowEntered.promise;
    slowMayEnd.resolve();

    expect((await received).indexOf('slow')).toBeLessThan((await received).indexOf('\r\n\r\nok'));
    await log.finished('/ok');
    expect(log.all()).toEqual([
      '/slow requestStarted',
      '/ok requestStarted',
      '/slow requestFinished:completed',
      '/ok requestFinished:completed',
    ]);
    socket.destroy();
  });

  it("app.close() with forceCloseConnections: both finish 'aborted', seen by app.signals receivers (regression: the queued one never finished, even after close)", async () => {
    const port = await start({ forceCloseConnections: true });
    const socket = await pipeline(port, ['/slow', '/ok']);
    await slowEntered.promise;
    await log.until(() => log.of('/ok').length === 1, '/ok to start');

    await app.close();

    expect(log.of('/slow')).toEqual(['requestStarted', 'requestFinished:aborted']);
    expect(log.of('/ok')).toEqual(['requestStarted', 'requestFinished:aborted']);
    expect(inFlight(app)).toBe(0);
    await closed(socket);
  });

  it('many pipelined-and-killed connections with requests$ and eventsOf subscribed leave no open request state (regression: 40k held 250 MB)', async () => {
    const port = await start();
    const connections = 100;
    let streamsCompleted = 0;
    let eventsOfCompleted = 0;
    const subscriptions: Subscription[] = [
      app.signals.requests$.pipe(mergeMap((events$) => events$)).subscribe({ complete: () => undefined }),
      app.signals.requests$.subscribe((events$) => events$.subscribe({ complete: () => streamsCompleted++ })),
      app.signals.requestStarted$.subscribe(({ request }) =>
        app.signals.eventsOf(request).subscribe({ complete: () => eventsOfCompleted++ }),
      ),
    ];

    const sockets = await Promise.all(Array.from({ length: connections }, () => pipeline(port, ['/slow', '/ok'])));
    // Each /ok starts once its connection's /slow is in its handler (it never ends here).
    await log.until(() => log.of('/ok').length === connections, 'every queued /ok to start');
    expect(inFlight(app)).toBe(2 * connections);
    for (const socket of sockets) socket.destroy();

    await log.until(() => log.finishes().length === 2 * connections, 'every request to finish');
    expect(inFlight(app)).toBe(0);
    expect(streamsCompleted).toBe(2 * connections);
    expect(eventsOfCompleted).toBe(2 * connections);
    expect(new Set(log.finishes().map(({ outcome }) => outcome))).toEqual(new Set(['aborted']));
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
});

describe('app.close() while requests are in flight on real sockets', () => {
  let app: FastifyInstance;
  afterEach(() => app.close());

  it("forceCloseConnections: true: app.signals receivers get each request's finish, 'aborted' (regression: the response's 'close' came after onClose)", async () => {
    app = Fastify({ forceCloseConnections: true });
    await app.register(signalsPlugin);
    const log = new LifecycleLog(app);
    let entered = 0;
    const allEntered = deferred();
    app.get('/hangs/:n', async () => {
      if (++entered === 3) allEntered.resolve();
      await new Promise(() => undefined);
    });
    const port = await listen(app);
    const responses = [0, 1, 2].map((n) => get(port, `/hangs/${n}`).catch((error: Error) => error));
    await allEntered.promise;

    await app.close();

    for (const n of [0, 1, 2]) expect(log.of(`/hangs/${n}`)).toEqual(['requestStarted', 'requestFinished:aborted']);
    expect(log.subscription.closed).toBe(true);
    expect(inFlight(app)).toBe(0);
    await Promise.all(responses);
  });

  it("clients that go away while the server drains: app.signals receivers get each finish, 'aborted'", async () => {
    app = Fastify();
    await app.register(signalsPlugin);
    const log = new LifecycleLog(app);
    const entered = deferred();
    app.get('/hangs', async () => {
      entered.resolve();
      await new Promise(() => undefined);
    });
    const port = await listen(app);
    const socket = await pipeline(port, ['/hangs']);
    await entered.promise;

    const closing = app.close(); // waits for the connection
    socket.destroy();
    await closing;

    expect(log.of('/hangs')).toEqual(['requestStarted', 'requestFinished:aborted']);
    expect(inFlight(app)).toBe(0);
  });
});
