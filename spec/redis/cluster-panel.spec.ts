import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { signalsPanel, signalsPlugin } from '../../lib';
import { redisBridge, type InstanceSummary, type RedisBridge } from '../../lib/redis';
import { openEventStream, type EventStreamClient } from '../panel/event-stream-client';
import { RedisServer, describeWithRedis } from './support/redis-server';
import { until } from './support/instances';

interface InstanceRow {
  instanceId: string;
  self: boolean;
  perSecond: number;
}

describeWithRedis('the cluster panel over a real Redis', () => {
  let server: RedisServer;
  const apps: FastifyInstance[] = [];
  const bridges: RedisBridge[] = [];
  let stream: EventStreamClient | undefined;

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    stream?.close();
    for (const app of apps) await app.close();
    for (const bridge of bridges) await bridge.close();
    await server?.stop();
  });

  async function app(instanceId: string): Promise<string> {
    const bridge = await redisBridge({ url: server.url, instanceId, namespace: 'panel' });
    bridges.push(bridge);
    const made = Fastify();
    await made.register(signalsPlugin);
    await made.register(signalsPanel, { bridge, clusterIntervalMs: 100 });
    made.get('/hello', async () => 'hi');
    await made.listen({ port: 0, host: '127.0.0.1' });
    apps.push(made);
    return `http://127.0.0.1:${(made.server.address() as AddressInfo).port}`;
  }

  it("the panel of one instance lists both, with the other's figures relayed through Redis", async () => {
    const [web1, web2] = [await app('web-1'), await app('web-2')];
    for (let i = 0; i < 5; i++) await fetch(`${web2}/hello`);
    stream = await openEventStream(`${web1}/_signals/events`);
    const message = await stream.waitFor(
      ({ event, data }) =>
        event === 'cluster' && (data as InstanceRow[]).some((row) => row.instanceId === 'web-2' && row.perSecond > 0),
      'a cluster message with web-2 and its traffic',
    );
    const rows = message.data as InstanceRow[];
    expect(rows.map((row) => [row.instanceId, row.self])).toEqual([
      ['web-1', true],
      ['web-2', false],
    ]);
  });

  it('summaries cross at a bounded rate: publishing faster only replaces the waiting one', async () => {
    const [a, b] = await Promise.all(
      ['a', 'b'].map((id) => redisBridge({ url: server.url, instanceId: id, namespace: 'rate' })),
    );
    bridges.push(a, b);
    const seen: InstanceSummary[] = [];
    const subscription = b.summaries$.subscribe((summary) => seen.push(summary));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the SUBSCRIBE is on its way
    const summary = {
      instanceId: 'a',
      at: 0,
      windowMs: 1000,
      requests: 0,
      perSecond: 0,
      errorRate: 0,
      p95Ms: null,
      inFlight: 0,
    };
    for (let i = 1; i <= 1000; i++) a.publishSummary({ ...summary, at: i });
    await until(() => seen.some((s) => s.at === 1000), 'the latest summary');
    subscription.unsubscribe();
    expect(seen.length).toBeLessThan(10); // the first, then the latest that waited: not a thousand
    expect(seen[seen.length - 1]).toEqual({ ...summary, at: 1000 });
  });
});
