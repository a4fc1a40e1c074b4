import { createClient } from 'redis';
import { Signal } from '../../lib/core';
import { redisBridge, type BridgeError, type RedisBridge } from '../../lib/redis';
import { RedisServer, describeWithRedis } from './support/redis-server';
import { compiledLib, InstanceProcess } from './support/instance-process';
import { until, type Numbered } from './support/instances';

interface Handled {
  member: string;
  n: number;
  id: string;
  attempt: number;
}

describeWithRedis('bridge.connect: consumer groups on a stream', () => {
  let server: RedisServer;
  let bridges: RedisBridge[] = [];
  let namespace = 0;

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(bridges.map((bridge) => bridge.close()));
    bridges = [];
  });
  afterAll(() => server?.stop());

  async function bridge(instanceId: string, ns: string): Promise<RedisBridge> {
    const made = await redisBridge({ url: server.url, instanceId, namespace: ns });
    bridges.push(made);
    return made;
  }

  /** Figures of one group: every n in 1..sent handled by exactly one member, once. */
  function groupFigures(handled: readonly Handled[], sent: number) {
    const counts = new Map<number, number>();
    for (const { n } of handled) counts.set(n, (counts.get(n) ?? 0) + 1);
    let lost = 0;
    let duplicated = 0;
    for (let n = 1; n <= sent; n++) {
      const count = counts.get(n) ?? 0;
      if (count === 0) lost++;
      else duplicated += count - 1;
    }
    return { handled: handled.length, lost, duplicated };
  }

  it('each group handles each entry exactly once, on one member, with the same id in every group', async () => {
    const ns = `groups${namespace++}`;
    const [sender, a, b] = await Promise.all([bridge('sender', ns), bridge('a', ns), bridge('b', ns)]);
    const mailer: Handled[] = [];
    const audit: Handled[] = [];
    for (const member of [a, b]) {
      const signal = new Signal<Numbered>('orderPlaced');
      const record = (into: Handled[]) => (event: { n: number }) => {
        const delivery = member.deliveryOf(event)!;
        into.push({ member: member.instanceId, n: event.n, id: delivery.id, attempt: delivery.attempt });
      };
      member.connect(signal, record(mailer), { group: 'mailer' });
      member.connect(signal, record(audit), { group: 'audit' });
    }
    const orders = new Signal<Numbered>('orderPlaced');
    sender.share(orders);
    await Promise.all([sender, a, b].map((x) => x.ready()));

    for (let n = 1; n <= 200; n++) orders.send(sender, { n });
    await until(() => mailer.length === 200 && audit.length === 200, 'both groups to handle 200');
    expect(groupFigures(mailer, 200)).toEqual({ handled: 200, lost: 0, duplicated: 0 });
    expect(groupFigures(audit, 200)).toEqual({ handled: 200, lost: 0, duplicated: 0 });
    expect(mailer.every((h) => h.attempt === 1)).toBe(true);
    const idOf = (list: Handled[]) => new Map(list.map((h) => [h.n, h.id]));
    expect(idOf(audit)).toEqual(idOf(mailer));
  });

  it('a poison entry is retried, then moved to the dead letter stream after maxAttempts', async () => {
    const ns = `groups${namespace++}`;
    const member = await bridge('member', ns);
    const errors: BridgeError[] = [];
    member.errors$.subscribe((error) => errors.push(error));
    const signal = new Signal<Numbered>('orderPlaced');
    const attempts: [number, number][] = [];
    member.connect(
      signal,
      (event) => {
        attempts.push([event.n, member.deliveryOf(event)!.attempt]);
        if (event.n === 3) throw new Error('poison');
      },
      { group: 'mailer', maxAttempts: 3, retryDelayMs: 20 },
    );
    await member.ready();
    for (let n = 1; n <= 5; n++) signal.send(member, { n });
    await until(() => errors.some((error) => error.kind === 'dead-letter'), 'the dead letter');
    expect(attempts.filter(([n]) => n === 3).map(([, attempt]) => attempt)).toEqual([1, 2, 3]);
    expect(attempts.filter(([n]) => n !== 3)).toEqual([
      [1, 1],
      [2, 1],
      [4, 1],
      [5, 1],
    ]);
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'dead-letter',
        signal: 'orderPlaced',
        origin: 'member',
        group: 'mailer',
        attempts: 3,
      }),
    ]);
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      const dead = await client.xRange(`${ns}:dead:orderPlaced`, '-', '+');
      expect(dead).toHaveLength(1);
      expect(dead[0].message).toMatchObject({
        p: '{"n":3}',
        h: expect.stringMatching(/^rxs1\|/),
        group: 'mailer',
        attempts: '3',
        error: 'Error: poison',
      });
      expect(await client.xPendingRange(`${ns}:stream:orderPlaced`, 'mailer', '-', '+', 10)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('entries pending on a member killed with SIGKILL are reclaimed by another member', async () => {
    const ns = `groups${namespace++}`;
    const lib = compiledLib();
    let doomed: InstanceProcess | undefined;
    try {
      doomed = await InstanceProcess.start(lib.dir, {
        url: server.url,
        instanceId: 'doomed',
        namespace: ns,
        signal: 'orderPlaced',
        mode: 'member',
        group: 'mailer',
        hang: true,
        claimIdleMs: 300,
      });
      const sender = await bridge('sender', ns);
      const orders = new Signal<Numbered>('orderPlaced');
      sender.share(orders);
      await sender.ready();
      orders.send(sender, { n: 1 }); // the doomed member takes it and hangs on it
      await until(() => doomed!.handled.length === 1, 'the doomed member to take entry 1');
      for (let n = 2; n <= 20; n++) orders.send(sender, { n }); // queued behind it: pending there or unread
      await new Promise((resolve) => setTimeout(resolve, 200));
      await doomed.kill();

      const survivor = await bridge('survivor', ns);
      const handled: Handled[] = [];
      const signal = new Signal<Numbered>('orderPlaced');
      survivor.connect(
        signal,
        (event) => {
          const delivery = survivor.deliveryOf(event)!;
          handled.push({ member: 'survivor', n: event.n, id: delivery.id, attempt: delivery.attempt });
        },
        { group: 'mailer', claimIdleMs: 300 },
      );
      await until(() => handled.length >= 20, 'the survivor to handle all 20', 15_000);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(groupFigures(handled, 20)).toEqual({ handled: 20, lost: 0, duplicated: 0 });
      const pendingOnDoomed = handled.filter((h) => h.attempt > 1).map((h) => h.n);
      expect(pendingOnDoomed).toContain(1); // entry 1 was pending on the killed member: reclaimed, attempt 2
      expect(handled.find((h) => h.n === 1)!.attempt).toBe(2);
    } finally {
      await doomed?.kill();
      lib.remove();
    }
  });
});
