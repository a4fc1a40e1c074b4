import { collectGarbageUntil } from '../core/support/gc';
import { RedisServer, describeWithRedis } from './support/redis-server';
import { compiledLib, InstanceProcess } from './support/instance-process';
import { figures, instance, sleep, until, type Instance } from './support/instances';

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
      Array.from({ length: count }, (_, i) =>
        instance(name, { url: server.url, instanceId: `i${i + 1}`, namespace: name }),
      ),
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
        expect(figures(me.received, other.bridge.instanceId, 100)).toEqual({
          received: 100,
          lost: 0,
          duplicated: 0,
          outOfOrder: 0,
        });
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

  it('3 instances in separate processes: every event of the others once, in order', async () => {
    const lib = compiledLib();
    const children: InstanceProcess[] = [];
    try {
      for (const id of ['p2', 'p3']) {
        children.push(
          await InstanceProcess.start(lib.dir, {
            url: server.url,
            instanceId: id,
            namespace: 'processes',
            signal: 'news',
            mode: 'broadcast',
          }),
        );
      }
      const [me] = (instances = [
        await instance('news', { url: server.url, instanceId: 'p1', namespace: 'processes' }),
      ]);
      me.bridge.broadcast(me.signal);
      await me.bridge.ready();
      for (let n = 1; n <= 300; n++) me.signal.send(me.bridge, { n });
      await Promise.all(children.map((child) => child.send(1, 300)));
      await until(() => me.received.length === 600, 'p1 to receive 600');
      expect(figures(me.received, 'p2', 300)).toEqual({ received: 300, lost: 0, duplicated: 0, outOfOrder: 0 });
      expect(figures(me.received, 'p3', 300)).toEqual({ received: 300, lost: 0, duplicated: 0, outOfOrder: 0 });
      for (const [child, other] of [
        [children[0], 'p3'],
        [children[1], 'p2'],
      ] as const) {
        let report = await child.report();
        for (let tries = 0; report.received.length < 600 && tries < 200; tries++) {
          await sleep(25);
          report = await child.report();
        }
        expect(figures(report.received, 'p1', 300)).toEqual({ received: 300, lost: 0, duplicated: 0, outOfOrder: 0 });
        expect(figures(report.received, other, 300)).toEqual({ received: 300, lost: 0, duplicated: 0, outOfOrder: 0 });
        expect(report.gaps).toEqual([]);
      }
    } finally {
      await Promise.all(children.map((child) => child.close()));
      lib.remove();
    }
  });

  it('RemoteSenders: one object per origin while anyone holds it; one nobody holds is not kept (no growth with ids)', async () => {
    const [a] = await cluster(1, 'remotes');
    const held = a.bridge.remote('held');
    expect(a.bridge.remote('held')).toBe(held);
    const gone = new WeakRef(a.bridge.remote('gone'));
    for (let i = 0; i < 10_000; i++) a.bridge.remote(`pod-${i}`);
    await collectGarbageUntil(() => gone.deref() === undefined);
    expect(a.bridge.remote('held')).toBe(held);
  });

  it('an event is relayed before any local receiver runs: a receiver that throws in send() does not stop it', async () => {
    const [a, b] = await cluster(2, 'relay-first');
    const failing = new Error('local receiver failed');
    a.signal.connect(() => {
      throw failing;
    });
    expect(() => a.signal.send(a.bridge, { n: 1 })).toThrow(failing);
    await until(() => b.received.length === 1, 'the event on b');
    expect(b.received).toEqual([{ origin: 'i1', n: 1 }]);
  });
});
