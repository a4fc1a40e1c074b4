import type { FastifyInstance } from 'fastify';
import { BehaviorSubject } from 'rxjs';
import {
  BUILT_IN_SIGNALS,
  Signal,
  pausable,
  requestFinished,
  requestStarted,
  type SignalsPanelOptions,
} from '../../lib';
import { MAX_BATCH } from '../../lib/panel/protocol';
import { laneEvents, openEventStream, type EventStreamClient } from './event-stream-client';
import { cleanUpAfterEach, startPanelApp } from './panel-app';

const SECRET = 'hunter2-secret';

/** A real app with the plugin, the panel and a few routes. */
function startApp(panelOptions: SignalsPanelOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  return startPanelApp(panelOptions, (app) => {
    app.get('/ok', async () => 'ok');
    app.get('/users/:id', async () => ({ name: 'ada' }));
    app.post('/users/:id', async (request) => ({ echoed: request.body }));
    app.get('/fail', async () => {
      throw new Error(`failure carrying ${SECRET}`);
    });
  });
}

describe('signalsPanel event stream (real sockets)', () => {
  let app: FastifyInstance;
  let url: string;
  const clients: EventStreamClient[] = [];
  cleanUpAfterEach(clients, () => app);
  const open = async (path = '/_signals/events', headers?: Record<string, string>) => {
    const client = await openEventStream(url + path, headers);
    clients.push(client);
    return client;
  };

  it('streams lane events with method, route pattern, status, outcome and timing only', async () => {
    ({ app, url } = await startApp());
    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await stream.waitFor((message) => message.event === 'hello', 'hello');

    await fetch(`${url}/users/42?token=${SECRET}&email=ada@example.com`, {
      headers: { authorization: `Bearer ${SECRET}`, cookie: `session=${SECRET}`, 'x-api-key': SECRET },
    });
    await fetch(`${url}/users/42?q=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ password: SECRET }),
    });
    await fetch(`${url}/fail?q=${SECRET}`);

    await stream.waitFor(
      (message) =>
        message.event === 'lanes' &&
        (message.data as { events: { route?: string; signal: string }[] }).events.some(
          (event) => event.signal === 'requestFinished' && event.route === '/fail',
        ),
      'requestFinished of /fail',
    );
    await stream.waitFor((message) => message.event === 'routes', 'route latency');

    const lanes = laneEvents(stream);
    const finished = lanes.filter((event) => event.signal === 'requestFinished');
    expect(finished.map((event) => `${event.method} ${event.route} ${event.statusCode} ${event.outcome}`)).toEqual([
      'GET /users/:id 200 completed',
      'POST /users/:id 200 completed',
      'GET /fail 500 errored',
    ]);
    const allowed = ['signal', 'at', 'request', 'method', 'route', 'statusCode', 'outcome', 'elapsedMs', 'failing'];
    for (const event of lanes) expect(Object.keys(event).filter((key) => !allowed.includes(key))).toEqual([]);

    // Nothing of the URL, query, headers, body or the error message ever went out.
    const sent = stream.text();
    for (const leak of [SECRET, 'example.com', '/users/42', 'Bearer', 'password', 'session=', 'failure carrying']) {
      expect(sent).not.toContain(leak);
    }
  });

  it('marks a failing request as failing: its exception and its finish', async () => {
    ({ app, url } = await startApp());
    const stream = await open();
    await stream.waitFor((message) => message.event === 'hello', 'hello');
    await fetch(`${url}/ok`);
    await fetch(`${url}/fail`);
    await stream.waitFor(
      (message) => message.event === 'stats' && (message.data as { failed: number }).failed === 1,
      'stats with 1 failure',
    );
    const lanes = laneEvents(stream);
    const ofFail = lanes.filter((event) => event.route === '/fail');
    expect(ofFail.map((event) => [event.signal, event.failing ?? false])).toEqual([
      ['requestStarted', false],
      ['gotRequestException', true],
      ['requestFinished', true],
    ]);
    // The three dots of one request share a panel-local number, not the request id.
    expect(new Set(ofFail.map((event) => event.request)).size).toBe(1);
    const okFinished = lanes.find((event) => event.route === '/ok' && event.signal === 'requestFinished');
    expect(okFinished).toMatchObject({ failing: false, outcome: 'completed', statusCode: 200 });

    const routes = await stream.waitFor(
      (message) =>
        message.event === 'routes' &&
        (message.data as { route: string }[]).some((route) => route.route === 'GET /fail'),
      'routes with GET /fail',
    );
    expect(
      (routes.data as { route: string; failed: number }[]).find((route) => route.route === 'GET /fail'),
    ).toMatchObject({
      requests: 1,
      failed: 1,
    });
  });

  it("draws other signals' events with their time only, whatever they carry", async () => {
    const orderPlaced = new Signal<{ card: string }, string>('orderPlaced');
    ({ app, url } = await startApp({ signals: [...BUILT_IN_SIGNALS, orderPlaced] }));
    const stream = await open();
    await stream.waitFor((message) => message.event === 'hello', 'hello');
    orderPlaced.send('shop', { card: SECRET });
    const message = await stream.waitFor(
      (candidate) =>
        candidate.event === 'lanes' &&
        (candidate.data as { events: { signal: string }[] }).events.some((e) => e.signal === 'orderPlaced'),
      'orderPlaced drawn',
    );
    const drawn = (message.data as { events: Record<string, unknown>[] }).events.find(
      (e) => e.signal === 'orderPlaced',
    )!;
    expect(Object.keys(drawn).sort()).toEqual(['at', 'signal']);
    expect(stream.text()).not.toContain(SECRET);
  });

  it('sends at most MAX_BATCH lane events per update: a burst beyond it is counted as dropped, not sent', async () => {
    const tick = new Signal<{ n: number }, string>('tick');
    ({ app, url } = await startApp({ signals: [...BUILT_IN_SIGNALS, tick], updateIntervalMs: 50 }));
    const stream = await open();
    await stream.waitFor((message) => message.event === 'hello', 'hello');
    for (let n = 0; n < MAX_BATCH + 250; n++) tick.send('burst', { n }); // within one update
    const message = await stream.waitFor(
      (candidate) => candidate.event === 'lanes' && (candidate.data as { dropped: number }).dropped > 0,
      'the burst',
    );
    const { events, dropped } = message.data as { events: { signal: string }[]; dropped: number };
    expect(events.filter((event) => event.signal === 'tick')).toHaveLength(MAX_BATCH);
    expect(dropped).toBe(250);
  });

  it("does not draw the panel's own requests", async () => {
    ({ app, url } = await startApp());
    const first = await open();
    await first.waitFor((message) => message.event === 'hello', 'hello');
    await fetch(`${url}/_signals`);
    await fetch(`${url}/_signals/signals.json`);
    const second = await open();
    await second.waitFor((message) => message.event === 'hello', 'hello');
    await fetch(`${url}/ok`);
    await first.waitFor(
      (message) =>
        message.event === 'lanes' &&
        (message.data as { events: { route?: string }[] }).events.some((e) => e.route === '/ok'),
      '/ok drawn',
    );
    expect(laneEvents(first).filter((event) => String(event.route).startsWith('/_signals'))).toEqual([]);
  });

  it('caps its clients: one more gets a 503, and a freed place can be taken again', async () => {
    ({ app, url } = await startApp({ maxClients: 2 }));
    const a = await open();
    const b = await open();
    await a.waitFor((message) => message.event === 'hello', 'hello a');
    await b.waitFor((message) => message.event === 'hello', 'hello b');

    expect((await fetch(`${url}/_signals/events`, { method: 'HEAD' })).status).toBe(404); // never a viewer
    const refused = await fetch(`${url}/_signals/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await refused.json()).toEqual({
      error: 'The signals panel already has 2 viewers (maxClients). Close a tab or raise maxClients.',
    });

    a.close();
    await a.ended;
    // The server notices the hang-up asynchronously: retry until the place is free.
    let c: EventStreamClient | undefined;
    for (let attempt = 0; attempt < 500 && c === undefined; attempt++) {
      const candidate = await open();
      if (candidate.status === 200) c = candidate;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(c?.status).toBe(200);
    await c!.waitFor((message) => message.event === 'hello', 'hello c');
  });

  it('listens to the signals only while a page is open', async () => {
    ({ app, url } = await startApp());
    const panelReceivers = () => requestFinished.receivers().filter((info) => info.sender === app).length;
    const before = panelReceivers();
    const stream = await open();
    await stream.waitFor((message) => message.event === 'hello', 'hello');
    expect(panelReceivers()).toBeGreaterThan(before);
    stream.close();
    await stream.ended;
    // The server learns of the hang-up asynchronously; wait for the disconnect itself.
    for (let attempt = 0; attempt < 1000 && panelReceivers() !== before; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(panelReceivers()).toBe(before);
  });

  it('ends open event streams cleanly on app.close()', async () => {
    ({ app, url } = await startApp());
    const a = await open();
    const b = await open();
    await a.waitFor((message) => message.event === 'hello', 'hello a');
    await b.waitFor((message) => message.event === 'hello', 'hello b');
    await app.close(); // would wait forever if the streams stayed open
    await Promise.all([a.ended, b.ended]);
    expect(a.messages.at(-1)?.event).toBe('bye');
    expect(requestStarted.receivers().some((info) => info.sender === app)).toBe(false);
  });

  it('lists receivers with their sender filter and paused state', async () => {
    ({ app, url } = await startApp());
    const paused$ = new BehaviorSubject(true);
    const audit = function auditTrail() {};
    const subscription = app.signals.connect(requestFinished, audit, { pipe: pausable(paused$) });
    const anySender = requestStarted.connect(function traceEverything() {});
    try {
      const stream = await open();
      const signals = (await stream.waitFor((message) => message.event === 'signals', 'signals')).data as {
        name: string;
        receivers: { name: string; sender: string; paused: boolean }[];
      }[];
      const finished = signals.find((signal) => signal.name === 'requestFinished')!;
      expect(finished.receivers.find((receiver) => receiver.name === 'auditTrail')).toMatchObject({
        sender: 'this app',
        paused: true,
      });
      const started = signals.find((signal) => signal.name === 'requestStarted')!;
      expect(started.receivers.find((receiver) => receiver.name === 'traceEverything')).toMatchObject({
        sender: 'any sender',
        paused: false,
      });
      paused$.next(false); // resumed: the next update says so
      await stream.waitFor(
        (message) =>
          message.event === 'signals' &&
          (message.data as typeof signals)
            .find((signal) => signal.name === 'requestFinished')!
            .receivers.some((receiver) => receiver.name === 'auditTrail' && !receiver.paused),
        'auditTrail resumed',
      );
    } finally {
      subscription.unsubscribe();
      anySender.unsubscribe();
    }
  });
});
