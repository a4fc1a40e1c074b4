import type { FastifyInstance } from 'fastify';
import { Signal, requestFinished, type SignalsPanelOptions } from '../../lib';
import type { ErrorView, SignalView, StatsMessage } from '../../lib/panel/protocol';
import { laneEvents, openEventStream, type EventStreamClient } from './event-stream-client';
import { startPanelApp } from './panel-app';

const SECRET = 'hunter2-secret';

/** A real app with the plugin, the panel, and routes of every status class. */
function startApp(panelOptions: SignalsPanelOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  return startPanelApp(panelOptions, (app) => {
    app.get('/ok', async () => 'ok');
    app.get('/teapot', async (_request, reply) => reply.code(418).send('short and stout'));
    app.get('/fail', async () => {
      throw new Error('route failure');
    });
    let releaseHeld!: () => void;
    const held = new Promise<void>((resolve) => (releaseHeld = resolve));
    app.get('/held', async () => {
      await held;
      return 'released';
    });
    app.addHook('preClose', async () => releaseHeld()); // close() waits for requests in flight
  });
}

describe('signalsPanel: what a page learns (real sockets)', () => {
  let app: FastifyInstance | undefined;
  let url: string;
  const clients: EventStreamClient[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const cleanup of cleanups.splice(0)) cleanup();
    await app?.close();
    app = undefined;
  });
  const open = async () => {
    const client = await openEventStream(`${url}/_signals/events`);
    clients.push(client);
    await client.waitFor((message) => message.event === 'hello', 'hello');
    return client;
  };
  const latest = <T>(stream: EventStreamClient, event: string): T =>
    stream.messages.filter((message) => message.event === event).at(-1)!.data as T;

  it('reports in-flight requests, 4xx and 5xx apart, and latency percentiles with a log-scale histogram', async () => {
    ({ app, url } = await startApp());
    const stream = await open();
    const held = fetch(`${url}/held`).then((response) => response.text());
    await Promise.all([
      fetch(`${url}/ok`),
      fetch(`${url}/ok`),
      fetch(`${url}/teapot`),
      fetch(`${url}/nowhere`),
      fetch(`${url}/fail`),
    ]);
    const stats = (
      await stream
        .waitFor(
          (message) =>
            message.event === 'stats' &&
            (message.data as StatsMessage).requests === 5 &&
            (message.data as StatsMessage).inFlight === 1,
          'stats of 5 requests with 1 in flight',
        )
        .catch((error: unknown) => {
          throw new Error(`${String(error).slice(0, 200)}; latest stats: ${JSON.stringify(latest(stream, 'stats'))}`);
        })
    ).data as StatsMessage;
    expect(stats).toMatchObject({ requests: 5, failed: 1, status4xx: 2, status5xx: 1, inFlight: 1, errorRate: 0.2 });
    expect(stats.histogram.reduce((sum, count) => sum + count, 0)).toBe(5);
    expect(stats.p50Ms).toBeGreaterThan(0);
    expect(stats.p99Ms).toBeGreaterThanOrEqual(stats.p95Ms!);
    expect(stats.p95Ms).toBeGreaterThanOrEqual(stats.p50Ms!);
    await app.close(); // releases /held
    app = undefined;
    await held;
  });

  it('lists the latest receiver errors with class and message cut short, never a stack or a path', async () => {
    ({ app, url } = await startApp());
    const connection = app.signals.connect(requestFinished, function auditLog() {
      throw new TypeError(
        `could not write ${SECRET} to /var/lib/app/audit.log: ${'x'.repeat(300)}\n    at auditLog (/srv/app/audit.ts:12:3)`,
      );
    });
    cleanups.push(() => connection.unsubscribe());
    const stream = await open();
    await fetch(`${url}/ok`);
    const [error] = (
      await stream.waitFor(
        (message) => message.event === 'errors' && (message.data as ErrorView[]).length > 0,
        'an error',
      )
    ).data as ErrorView[];
    expect(error).toMatchObject({ signal: 'requestFinished', receiver: 'auditLog', errorClass: 'TypeError' });
    expect(error.message).toMatch(/^could not write hunter2-secret to <path>: x+…$/);
    expect(error.message!.length).toBe(120);
    expect(stream.text()).not.toMatch(/audit\.ts|\/srv\/|\/var\/lib|at auditLog/);
  });

  it('hides error messages with errorMessages: false (secrets in them never reach the page)', async () => {
    ({ app, url } = await startApp({ errorMessages: false }));
    const connection = app.signals.connect(requestFinished, function auditLog() {
      throw new Error(`password=${SECRET}`);
    });
    const rejecting = app.signals.connect(requestFinished, async function flakyMailer() {
      throw Object.assign(new RangeError(`smtp rejected ${SECRET}`), { code: SECRET });
    });
    cleanups.push(
      () => connection.unsubscribe(),
      () => rejecting.unsubscribe(),
    );
    const stream = await open();
    await fetch(`${url}/ok`);
    const errors = (
      await stream.waitFor(
        (message) => message.event === 'errors' && (message.data as ErrorView[]).length === 2,
        'two errors',
      )
    ).data as ErrorView[];
    expect(errors.map(({ receiver, errorClass, message }) => [receiver, errorClass, message])).toEqual([
      ['flakyMailer', 'RangeError', null],
      ['auditLog', 'Error', null],
    ]);
    expect(stream.text()).not.toContain(SECRET);
  });

  it('marks its own subscriptions, so they are not taken for the app’s receivers', async () => {
    ({ app, url } = await startApp());
    const connection = app.signals.connect(requestFinished, function accessLog() {});
    cleanups.push(() => connection.unsubscribe());
    const stream = await open();
    const signals = latest<SignalView[]>(stream, 'signals');
    const finished = signals.find((signal) => signal.name === 'requestFinished')!;
    expect(finished.receivers.map(({ name, own }) => [name, own])).toEqual([
      ['accessLog', false],
      ['rx-signals panel', true],
    ]);
  });

  // Issue 9 #6: the update timer had no guard; describing a hostile sender threw in it and the
  // process died as soon as a page opened.
  it('survives a sender and a receiver that throw when described (issue 9 #6)', async () => {
    ({ app, url } = await startApp());
    const orderPlaced = new Signal<{ id: number }>('orderPlaced');
    await app.close();
    ({ app, url } = await startApp({ signals: [orderPlaced, requestFinished] }));
    const hostileSender = new Proxy(
      {},
      {
        get() {
          throw new Error('sender says no');
        },
        getPrototypeOf() {
          throw new Error('sender says no');
        },
      },
    );
    const receiver = () => undefined;
    Object.defineProperty(receiver, 'name', {
      get() {
        throw new Error('receiver says no');
      },
    });
    const connection = orderPlaced.connect(receiver, { sender: hostileSender });
    cleanups.push(() => connection.unsubscribe());
    const stream = await open();
    await fetch(`${url}/ok`);
    // The timer keeps running: the request's dot arrives after the hostile connection was described.
    await stream.waitFor(
      (message) => message.event === 'lanes' && laneEvents(stream).some((event) => event.route === '/ok'),
      'the /ok request on the lanes',
    );
    const signals = latest<SignalView[]>(stream, 'signals');
    expect(signals.map((signal) => signal.name)).toEqual(['orderPlaced', 'requestFinished']);
  });
});
