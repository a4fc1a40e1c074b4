import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { requestFinished, requestStarted, signalsPanel, signalsPlugin } from '../../lib';
import type { LanesMessage, ReceiverRow, TimelineView } from '../../lib/panel/protocol';
import { VIEWS, fastifyView } from '../testing/support/apps';
import { openEventStream, type EventStreamClient } from './event-stream-client';

/**
 * "Which receiver slows my requests?": the receivers table and a request's own timeline, on a
 * real app with a slow async receiver, a fast one, a failing one and a template.
 */
describe('signalsPanel answers which receiver slows the requests (real sockets)', () => {
  let app: FastifyInstance;
  let url: string;
  let stream: EventStreamClient;

  beforeAll(async () => {
    app = Fastify();
    await app.register(fastifyView, VIEWS);
    await app.register(signalsPlugin);
    await app.register(signalsPanel, { updateIntervalMs: 20, timelineRequests: 3 });
    app.signals.connect(requestStarted, function tagRequest() {});
    app.signals.connect(requestFinished, async function auditLog() {
      await sleep(30);
    });
    app.signals.connect(requestFinished, function flakyMetrics() {
      throw new Error('metrics down');
    });
    app.get('/profile', async (_request, reply) => reply.view('profile.hbs', { user: { name: 'ada' }, items: [] }));
    app.get('/ok', async () => 'ok');
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    stream = await openEventStream(`${url}/_signals/events`);
    await stream.waitFor((message) => message.event === 'hello', 'hello');
  });
  afterAll(async () => {
    stream?.close();
    await app?.close();
  });

  /** The request number the page would click for the latest finished request of `route`. */
  const requestNumberOf = async (route: string): Promise<number> => {
    const message = await stream.waitFor(
      (candidate) =>
        candidate.event === 'lanes' &&
        (candidate.data as LanesMessage).events.some(
          (event) => event.signal === 'requestFinished' && event.route === route,
        ),
      `requestFinished of ${route}`,
    );
    return (message.data as LanesMessage).events.find(
      (event) => event.signal === 'requestFinished' && event.route === route,
    )!.request!;
  };

  it('ranks the slow receiver first, with calls, errors and times, and leaves its own receiver out', async () => {
    for (let i = 0; i < 3; i++) await (await fetch(`${url}/ok`)).text();
    const rows = (
      await stream.waitFor(
        (message) =>
          message.event === 'receivers' &&
          (message.data as ReceiverRow[]).some((row) => row.receiver === 'auditLog' && row.calls >= 3 && row.p95Ms > 0),
        'auditLog profiled over 3 calls',
      )
    ).data as ReceiverRow[];
    expect(rows[0]).toMatchObject({ signal: 'requestFinished', receiver: 'auditLog', errors: 0, paused: false });
    expect(rows[0].p95Ms).toBeGreaterThanOrEqual(25); // timed until its Promise settled
    expect(rows.find((row) => row.receiver === 'flakyMetrics')).toMatchObject({
      errors: rows.find((row) => row.receiver === 'flakyMetrics')!.calls,
    });
    expect(rows.map((row) => row.receiver)).toEqual(expect.arrayContaining(['auditLog', 'flakyMetrics', 'tagRequest']));
    expect(rows.map((row) => row.receiver)).not.toContain('rx-signals panel');
  });

  it("serves a clicked request's timeline: its events in order, the receivers that ran with their times, its templates", async () => {
    await (await fetch(`${url}/profile?secret=hunter2`)).text();
    const number = await requestNumberOf('/profile');
    await sleep(60); // auditLog settles 30 ms after the finish
    const response = await fetch(`${url}/_signals/requests/${number}`);
    expect(response.status).toBe(200);
    const timeline = (await response.json()) as TimelineView;
    expect(timeline).toMatchObject({
      request: number,
      method: 'GET',
      route: '/profile',
      statusCode: 200,
      outcome: 'completed',
      templates: ['profile.hbs'],
    });
    expect(timeline.events.map((event) => event.signal)).toEqual([
      'requestStarted',
      'templateRendered',
      'requestFinished',
    ]);
    expect(timeline.events[1].template).toBe('profile.hbs');
    const finish = timeline.events[2];
    expect(finish.calls.map((call) => [call.receiver, call.failed])).toEqual([
      ['auditLog', false],
      ['flakyMetrics', true],
    ]);
    expect(finish.calls[0].ms).toBeGreaterThanOrEqual(25);
    expect(timeline.events[0].calls.map((call) => call.receiver)).toEqual(['tagRequest']);
    expect(JSON.stringify(timeline)).not.toContain('hunter2');
  });

  it('keeps timelines for the latest timelineRequests requests only, and says so for older ones', async () => {
    const first = await (await fetch(`${url}/ok`)).text().then(() => requestNumberOf('/ok'));
    for (let i = 0; i < 3; i++) await (await fetch(`${url}/profile`)).text();
    await requestNumberOf('/profile');
    const old = await fetch(`${url}/_signals/requests/${first}`);
    expect(old.status).toBe(404);
    expect(((await old.json()) as { error: string }).error).toMatch(
      /only the latest 3 requests since the page opened have one/,
    );
    expect((await fetch(`${url}/_signals/requests/not-a-number`)).status).toBe(404);
  });
});
