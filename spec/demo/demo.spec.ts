import { filter, firstValueFrom, scan } from 'rxjs';
import { buildDemoApp, startDemo, type DemoApp, type RunningDemo } from '../../demo/app';
import { demoConfig } from '../../demo/config';
import { summarizeRequests } from '../../lib';
import { capturedLogs } from '../support/captured-logs';

describe('demo app (in-process)', () => {
  let demo: DemoApp | undefined;
  afterEach(async () => {
    await demo?.app.close();
    demo = undefined;
  });

  it('serves ok, slow, failing and streaming routes, with its receivers logging each kind', async () => {
    const { lines, logger } = capturedLogs();
    // A threshold well above a fast request's time on a busy machine (a first request can take 30 ms).
    demo = await buildDemoApp({ logger, slowMs: 250, slowThresholdMs: 150, chunkGapMs: 5 });
    const { app } = demo;

    expect((await app.inject('/ok')).json()).toEqual({ ok: true, visits: 0 });
    expect((await app.inject('/items/7?secret=x')).json()).toEqual({ id: '7' });
    expect((await app.inject('/slow')).json()).toEqual({ slow: true, tookMs: 250 });
    expect((await app.inject('/fail')).statusCode).toBe(500);
    const stream = await app.inject('/stream');
    expect(stream.body).toBe([1, 2, 3, 4, 5].map((i) => `chunk ${i} of 5\n`).join(''));
    expect((await app.inject('/nowhere')).statusCode).toBe(404);

    const accessLog = lines.filter((line) => line.msg === 'request finished').map((line) => line.request);
    expect(accessLog).toEqual([
      expect.objectContaining({ method: 'GET', route: '/ok', statusCode: 200, outcome: 'completed' }),
      expect.objectContaining({ method: 'GET', route: '/items/:id', statusCode: 200, outcome: 'completed' }),
      expect.objectContaining({ method: 'GET', route: '/slow', statusCode: 200, outcome: 'completed' }),
      expect.objectContaining({ method: 'GET', route: '/fail', statusCode: 500, outcome: 'errored' }),
      expect.objectContaining({ method: 'GET', route: '/stream', statusCode: 200, outcome: 'completed' }),
      expect.objectContaining({ method: 'GET', route: '(unmatched)', statusCode: 404, outcome: 'completed' }),
    ]);
    const slow = lines
      .filter((line) => line.msg === 'slow request')
      .map((line) => (line.request as { route: string }).route);
    expect(slow).toContain('/slow');
    expect(slow).not.toContain('/ok');
    const errors = lines.filter((line) => line.msg === 'request raised an error');
    expect(errors).toEqual([expect.objectContaining({ level: 50, method: 'GET', route: '/fail' })]);
    expect(JSON.stringify(accessLog)).not.toContain('secret');
  });

  it("closes the demo database's stale connections at request boundaries, unless paused", async () => {
    demo = await buildDemoApp({ logger: false });
    const { app, db } = demo;
    db.begin();
    db.insert('visits', { item: 'left open' }); // a transaction nobody commits: a leak
    await app.inject('/ok');
    expect(db.inTransaction).toBe(false);
    expect(db.stats.rolledBack).toBe(1);

    expect((await app.inject({ method: 'POST', url: '/cleanup/pause' })).json()).toEqual({
      closeStaleConnections: 'paused',
    });
    db.begin();
    await app.inject('/ok');
    expect(db.inTransaction).toBe(true); // paused: the transaction survives the request
    const listed = (await app.inject('/_signals/signals.json')).json() as {
      signals: { name: string; receivers: { name: string; paused: boolean }[] }[];
    };
    const finished = listed.signals.find((signal) => signal.name === 'requestFinished')!;
    expect(finished.receivers.map((receiver) => receiver.name)).toEqual(
      expect.arrayContaining(['accessLog', 'slowRequestAlert', 'closeStaleConnections']),
    );
    expect(finished.receivers.find((receiver) => receiver.name === 'closeStaleConnections')!.paused).toBe(true);

    await app.inject({ method: 'POST', url: '/cleanup/resume' });
    await app.inject('/ok');
    expect(db.inTransaction).toBe(false);
  });
});

describe('demo with its own traffic (real sockets)', () => {
  let running: RunningDemo | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('drives varied traffic on its own and logs the rolling error rate', async () => {
    const { lines, logger } = capturedLogs();
    running = await startDemo({
      port: 0,
      logger,
      trafficIntervalMs: 15,
      slowMs: 30,
      chunkGapMs: 5,
      statsLogEveryMs: 50,
    });
    expect(running.panelUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_signals$/);
    // Wait until every route of the traffic cycle has finished at least once.
    const wanted = ['/ok', '/items/:id', '/slow', '/fail', '/stream', '(unmatched)'];
    const seen = await firstValueFrom(
      running.app.signals.requestFinished$.pipe(
        summarizeRequests(),
        scan((routes, summary) => routes.add(summary.route), new Set<string>()),
        filter((routes) => wanted.every((route) => routes.has(route))),
      ),
    );
    expect([...seen].sort()).toEqual([...wanted].sort());
    expect(running.traffic!.sent).toBeGreaterThanOrEqual(wanted.length);
    await waitUntil(() =>
      lines.some((line) => line.msg === 'rolling error rate' || line.msg === 'rolling error rate above alert level'),
    );
    const page = await fetch(running.panelUrl);
    expect(page.status).toBe(200);
  });
});

describe('demoConfig()', () => {
  it('defaults to port 3000 with traffic on', () => {
    expect(demoConfig([], {})).toEqual({ port: 3000, traffic: true });
  });
  it('reads PORT, and turns traffic off with --no-traffic or DEMO_TRAFFIC=off', () => {
    expect(demoConfig(['--no-traffic'], { PORT: '3001' })).toEqual({ port: 3001, traffic: false });
    expect(demoConfig([], { DEMO_TRAFFIC: 'off' })).toEqual({ port: 3000, traffic: false });
    expect(demoConfig([], { DEMO_TRAFFIC: 'on', PORT: '0' })).toEqual({ port: 0, traffic: true });
  });
  it('rejects what it does not understand', () => {
    expect(() => demoConfig([], { PORT: 'http' })).toThrow(/PORT must be a whole number from 0 to 65535, got "http"/);
    expect(() => demoConfig([], { PORT: '70000' })).toThrow(/PORT must be a whole number/);
    expect(() => demoConfig(['--traffic'], {})).toThrow(/unknown argument "--traffic"/);
    expect(() => demoConfig([], { DEMO_TRAFFIC: 'no' })).toThrow(/DEMO_TRAFFIC must be "on" or "off"/);
  });
});

/** Polls a condition that a timer will make true, with a generous bound. */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
