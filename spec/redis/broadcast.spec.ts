import { RedisServer, describeWithRedis } from './support/redis-server';
import { figures, instance, until, type Instance } from './support/instances';

describeWithRedis('bridge.broadcast between instances (Pub/Sub)', () => {
  let server: RedisServer;
  let instances: Instance[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(instances.map(({ bridge }) => bridge.close()));
    instances = [];
  });
  afterAll(() => server?.stop());

  async function cluster(count: number, name: string): Promise<Instance[]> {
    instances = await Promise.all(
      Array.from({ length: count }, (_, i) => instance(name, { url: server.url, instanceId: `i${i + 1}`, namespace: name })),
    );
    for (const { bridge, signal } of instances) bridge.broadcast(signal);
    await Promise.all(instances.map(({ bridge }) => bridge.ready()));
    return instances;
  }

  it('3 instances: each gets every event of the two others once, in order, and none of its own', async () => {
    const all = await cluster(3, 'three');
    for (let n = 1; n <= 100; n++) for (const { bridge, signal } of all) signal.send(bridge, { n });
    await until(() => all.every(({ received }) => received.length === 200), 'every instance to receive 200');
    for (const me of all) {
      expect(me.received.some((r) => r.origin === me.bridge.instanceId)).toBe(false);
      for (const other of all.filter((o) => o !== me)) {
        expect(figures(me.received, other.bridge.instanceId, 100)).toEqual({ received: 100, lost: 0, duplicated: 0, outOfOrder: 0 });
      }
      expect(me.gaps).toEqual([]);
      expect(me.errors).toEqual([]);
    }
  });

  it('1,000 sends from each of two origins arrive in order per origin', async () => {
    const [a, b, c] = await cluster(3, 'thousand');
    for (let n = 1; n <= 1000; n++) {
      a.signal.send(a.bridge, { n });
      b.signal.send(b.bridge, { n });
    }
    await until(() => c.received.length === 2000, 'c to receive 2,000');
    expect(figures(c.received, 'i1', 1000)).toEqual({ received: 1000, lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(figures(c.received, 'i2', 1000)).toEqual({ received: 1000, lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(c.gaps).toEqual([]);
  });
});
