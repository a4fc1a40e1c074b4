import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Subject } from 'rxjs';
import { signalsPanel, signalsPlugin, type ClusterBridge, type InstanceSummary } from '../../lib';
import type { InstanceView } from '../../lib/panel/protocol';
import { openEventStream, type EventStreamClient } from './event-stream-client';

/**
 * A cluster in one process: every bridge hands its summaries to every other one, as the Redis
 * bridge does between processes. Counts what was published, to check the rate.
 */
class Hub {
  readonly published: InstanceSummary[] = [];
  private readonly wire = new Subject<{ from: string; summary: unknown }>();

  bridge(instanceId: string): ClusterBridge {
    const summaries$ = new Subject<InstanceSummary>();
    this.wire.subscribe(({ from, summary }) => {
      if (from !== instanceId) summaries$.next(summary as InstanceSummary);
    });
    return {
      instanceId,
      publishSummary: (summary) => {
        this.published.push(summary);
        this.wire.next({ from: instanceId, summary: JSON.parse(JSON.stringify(summary)) });
      },
      summaries$: summaries$.asObservable(),
    };
  }

  /** What anyone on a shared Redis could put on the wire. */
  inject(summary: unknown): void {
    this.wire.next({ from: 'stranger', summary });
  }
}

async function instance(bridge: ClusterBridge): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await app.register(signalsPlugin);
  await app.register(signalsPanel, { bridge, clusterIntervalMs: 100, updateIntervalMs: 20 });
  app.get('/ok', async () => 'ok');
  app.get('/fail', async () => {
    throw new Error('nope');
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

describe('signalsPanel({ bridge }): every instance of a cluster', () => {
  const hub = new Hub();
  let web1: { app: FastifyInstance; url: string };
  let web2: { app: FastifyInstance; url: string };
  let stream: EventStreamClient;

  beforeAll(async () => {
    web1 = await instance(hub.bridge('web-1'));
    web2 = await instance(hub.bridge('web-2'));
    stream = await openEventStream(`${web1.url}/_signals/events`);
  });
  afterAll(async () => {
    stream?.close();
    await web1?.app.close();
    await web2?.app.close();
  });

  const clusterWhere = async (predicate: (instances: InstanceView[]) => boolean, what: string) =>
    (await stream.waitFor((message) => message.event === 'cluster' && predicate(message.data as InstanceView[]), what))
      .data as InstanceView[];

  it('says which instance the page is on', async () => {
    const hello = await stream.waitFor((message) => message.event === 'hello', 'hello');
    expect(hello.data).toMatchObject({ instanceId: 'web-1' });
  });

  it('lists every instance with its own figures: req/s, error rate, p95, in flight, last seen', async () => {
    for (let i = 0; i < 4; i++) await (await fetch(`${web2.url}/ok`)).text();
    await (await fetch(`${web2.url}/fail`)).text();
    await (await fetch(`${web1.url}/ok`)).text();
    const instances = await clusterWhere(
      (list) => list.some((view) => view.instanceId === 'web-2' && view.errorRate === 0.2) && list[0].perSecond > 0,
      'web-2 with 5 requests, 1 failed',
    );
    expect(instances.map(({ instanceId, self }) => [instanceId, self])).toEqual([
      ['web-1', true],
      ['web-2', false],
    ]);
    const [self, other] = instances;
    expect(self).toMatchObject({ perSecond: 0.1, errorRate: 0, inFlight: 0, lastSeenMs: 0 });
    expect(other).toMatchObject({ perSecond: 0.5, errorRate: 0.2, inFlight: 0 });
    expect(other.p95Ms).toBeGreaterThan(0);
    expect(other.lastSeenMs).toBeLessThan(1000);
  });

  it('publishes at its interval, never per request', async () => {
    const before = hub.published.filter((summary) => summary.instanceId === 'web-2').length;
    const startedAt = Date.now();
    await Promise.all(Array.from({ length: 200 }, () => fetch(`${web2.url}/ok`).then((response) => response.text())));
    const elapsed = Date.now() - startedAt;
    const published = hub.published.filter((summary) => summary.instanceId === 'web-2').length - before;
    expect(published).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
  });

  it('ignores malformed summaries and its own id from others, and never shows unknown fields', async () => {
    hub.inject({
      instanceId: 'evil',
      at: 1,
      windowMs: 10_000,
      requests: -5,
      perSecond: 1,
      errorRate: 0,
      p95Ms: null,
      inFlight: 0,
    });
    hub.inject('not a summary');
    hub.inject({
      instanceId: 'web-1',
      at: 1,
      windowMs: 10_000,
      requests: 0,
      perSecond: 999,
      errorRate: 0,
      p95Ms: null,
      inFlight: 0,
    });
    hub.inject({
      instanceId: 'web-3',
      at: 1,
      windowMs: 10_000,
      requests: 0,
      perSecond: 0,
      errorRate: 0,
      p95Ms: null,
      inFlight: 0,
      token: 'hunter2',
    });
    const instances = await clusterWhere((list) => list.some((view) => view.instanceId === 'web-3'), 'web-3 listed');
    expect(instances.map((view) => view.instanceId)).toEqual(['web-1', 'web-2', 'web-3']);
    expect(instances[0].perSecond).not.toBe(999);
    expect(stream.text()).not.toContain('hunter2');
    expect(stream.text()).not.toContain('evil');
  });

  it('keeps publishing with no page open, and stops when the app closes', async () => {
    const lonely = hub.bridge('web-4');
    const { app } = await instance(lonely);
    const count = () => hub.published.filter((summary) => summary.instanceId === 'web-4').length;
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(count()).toBeGreaterThanOrEqual(2);
    await app.close();
    const atClose = count();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(count()).toBe(atClose);
  });

  it('reports a bridge that throws instead of crashing, and keeps the page alive', async () => {
    const failing: ClusterBridge = {
      instanceId: 'web-5',
      publishSummary: () => {
        throw new Error('redis is away');
      },
      summaries$: new Subject<InstanceSummary>(),
    };
    const lines: string[] = [];
    const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => lines.push(line) } } });
    await app.register(signalsPlugin);
    await app.register(signalsPanel, { bridge: failing, clusterIntervalMs: 100 });
    await app.ready();
    await new Promise((resolve) => setTimeout(resolve, 250));
    await app.close();
    expect(lines.some((line) => line.includes('redis is away'))).toBe(true);
  });
});
