import { createClient } from 'redis';
import { Signal } from '../../lib/core';
import { redisBridge, type BridgeGap, type RedisBridge } from '../../lib/redis';
import { RedisServer, describeWithRedis } from './support/redis-server';
import { compiledLib, InstanceProcess } from './support/instance-process';
import {
  figures,
  instance,
  keepFigures,
  reportedLost,
  sleep,
  until,
  type Instance,
  type Numbered,
} from './support/instances';

/** Runs one admin command on the server, on a connection of its own. */
async function admin(url: string, command: string[]): Promise<unknown> {
  const client = createClient({ url });
  await client.connect();
  try {
    return await client.sendCommand(command);
  } finally {
    client.destroy();
  }
}

describeWithRedis('broadcast under faults (exact loss, duplicate and order figures)', () => {
  let server: RedisServer;
  let instances: Instance[] = [];

  afterEach(async () => {
    await Promise.all(instances.map(({ bridge }) => bridge.close()));
    instances = [];
    await server?.stop();
  });

  async function pair(options: { durable?: boolean; ns: string; closeTimeoutMs?: number }) {
    instances = await Promise.all(
      ['a', 'b'].map((id) =>
        instance('news', {
          url: server.url,
          instanceId: id,
          namespace: options.ns,
          closeTimeoutMs: options.closeTimeoutMs,
        }),
      ),
    );
    for (const { bridge, signal } of instances) bridge.broadcast(signal, { durable: options.durable });
    await Promise.all(instances.map(({ bridge }) => bridge.ready()));
    return instances;
  }

  it('CLIENT KILL TYPE pubsub mid-stream: the loss is reported with its exact count', async () => {
    server = await RedisServer.start();
    const [a, b] = await pair({ ns: 'kill' });
    let sent = 0;
    const sendBatch = (count: number) => {
      for (let i = 0; i < count; i++) a.signal.send(a.bridge, { n: ++sent });
    };
    sendBatch(200);
    await until(() => b.received.length === 200, 'the first 200');
    // A kill loses what is published before b has subscribed again. On a busy machine b can be
    // back before a's publishes reach Redis, so the kill is repeated until a batch falls in
    // the gap (every round counts: lost must equal reported whatever happens).
    for (let round = 1; round <= 5 && figures(b.received, 'a', sent).lost === 0; round++) {
      const reconnects = b.gaps.filter((gap) => gap.reason === 'reconnect').length;
      await admin(server.url, ['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      sendBatch(200); // published while b's subscriber is cut off
      await until(() => b.gaps.filter((gap) => gap.reason === 'reconnect').length > reconnects, 'the reconnect');
      await sleep(50);
      sendBatch(200); // the sequence loss is told by the next event that arrives
      const last = sent;
      await until(() => b.received.some((r) => r.n === last), 'the last event');
    }
    const result = keepFigures('CLIENT KILL TYPE pubsub', {
      sent,
      ...figures(b.received, 'a', sent),
      reported: reportedLost(b.gaps, 'a'),
    });
    expect(result.lost).toBeGreaterThan(0);
    expect(result.lost).toBe(result.reported);
    expect(result).toMatchObject({ duplicated: 0, outOfOrder: 0 });
    expect(b.gaps).toContainEqual({ reason: 'reconnect', signal: 'news' });
  });

  it('the last events of an origin lost (no later event): its "last sequence" reports them with the exact count', async () => {
    server = await RedisServer.start();
    const [a, b] = await pair({ ns: 'tail' });
    let sent = 0;
    const sendBatch = (count: number) => {
      for (let i = 0; i < count; i++) a.signal.send(a.bridge, { n: ++sent });
    };
    sendBatch(100);
    await until(() => b.received.length === 100, 'the first 100');
    const accounted = () => figures(b.received, 'a', sent).received + reportedLost(b.gaps, 'a') === sent;
    // As in the CLIENT KILL case, the kill is repeated until a batch falls in b's absence; then
    // a sends nothing more, and only its last sequence (about a second later) can tell b.
    for (let round = 1; round <= 5 && figures(b.received, 'a', sent).lost === 0; round++) {
      const reconnects = b.gaps.filter((gap) => gap.reason === 'reconnect').length;
      await admin(server.url, ['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      sendBatch(200);
      await until(() => b.gaps.filter((gap) => gap.reason === 'reconnect').length > reconnects, 'the reconnect');
      await until(accounted, 'every event received or reported lost', 10_000);
    }
    const result = keepFigures('tail loss (last sequence)', {
      sent,
      ...figures(b.received, 'a', sent),
      reported: reportedLost(b.gaps, 'a'),
    });
    expect(result.lost).toBeGreaterThan(0);
    expect(result.lost).toBe(result.reported);
    expect(result).toMatchObject({ duplicated: 0, outOfOrder: 0 });
    expect(b.received.at(-1)!.n).toBeLessThan(sent); // the loss was at the tail: no later event told
  });

  it('CLIENT PAUSE: sends return at once, the events arrive after the pause, none lost', async () => {
    server = await RedisServer.start();
    const [a, b] = await pair({ ns: 'pause' });
    await admin(server.url, ['CLIENT', 'PAUSE', '600', 'ALL']);
    const started = performance.now();
    for (let n = 1; n <= 100; n++) a.signal.send(a.bridge, { n });
    const sendMs = performance.now() - started;
    await sleep(300);
    const duringPause = b.received.length;
    await until(() => b.received.length === 100, 'the events after the pause');
    const result = keepFigures('CLIENT PAUSE', {
      sent: 100,
      sendMs: Math.round(sendMs),
      duringPause,
      ...figures(b.received, 'a', 100),
    });
    expect(result).toMatchObject({ duringPause: 0, lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(sendMs).toBeLessThan(100); // 100 sends, no round trip among them
    expect(b.gaps).toEqual([]);
  });

  it('a subscriber slower than its output buffer limit is cut off: reconnect and sequence gaps count the loss', async () => {
    server = await RedisServer.start({ args: ['--client-output-buffer-limit', 'pubsub 256kb 128kb 1'] });
    const lib = compiledLib();
    let slow: InstanceProcess | undefined;
    try {
      slow = await InstanceProcess.start(lib.dir, {
        url: server.url,
        instanceId: 'b',
        namespace: 'slow',
        signal: 'news',
        mode: 'broadcast',
        slowFirstMs: 1_000,
      });
      const a = await instance('news', { url: server.url, instanceId: 'a', namespace: 'slow' });
      instances = [a];
      a.bridge.broadcast(a.signal);
      await a.bridge.ready();
      const big = 'x'.repeat(10_000);
      for (let n = 1; n <= 1000; n++) a.signal.send(a.bridge, { n, big } as Numbered);
      let report = await slow.report();
      for (let tries = 0; !report.gaps.some((gap) => gap.reason === 'reconnect') && tries < 100; tries++) {
        await sleep(50);
        report = await slow.report();
      }
      for (let n = 1001; n <= 1010; n++) a.signal.send(a.bridge, { n });
      for (let tries = 0; !report.received.some((r) => r.n === 1010) && tries < 100; tries++) {
        await sleep(50);
        report = await slow.report();
      }
      const result = keepFigures('client-output-buffer-limit', {
        sent: 1010,
        ...figures(report.received, 'a', 1010),
        reported: reportedLost(report.gaps as BridgeGap[], 'a'),
        reconnects: report.gaps.filter((gap) => gap.reason === 'reconnect').length,
      });
      expect(result.reconnects).toBeGreaterThan(0);
      expect(result.lost).toBeGreaterThan(0);
      expect(result.lost).toBe(result.reported);
      expect(result).toMatchObject({ duplicated: 0, outOfOrder: 0 });
    } finally {
      await slow?.kill();
      lib.remove();
    }
  });

  it('durable: an instance restarted with the same instanceId replays what it missed, in order', async () => {
    server = await RedisServer.start();
    const [a, b] = await pair({ ns: 'durable', durable: true });
    for (let n = 1; n <= 50; n++) a.signal.send(a.bridge, { n });
    await until(() => b.received.length === 50, 'b to receive 50');
    await b.bridge.close();
    for (let n = 51; n <= 100; n++) a.signal.send(a.bridge, { n });
    await sleep(100);
    const again = await instance('news', { url: server.url, instanceId: 'b', namespace: 'durable' });
    const stranger = await instance('news', { url: server.url, instanceId: 'c', namespace: 'durable' });
    instances.push(again, stranger);
    again.bridge.broadcast(again.signal, { durable: true });
    stranger.bridge.broadcast(stranger.signal, { durable: true });
    await until(() => again.received.length === 50, 'the restarted b to replay 50');
    await sleep(100);
    const all = [...b.received, ...again.received];
    const result = keepFigures('durable replay after restart', {
      sent: 100,
      ...figures(all, 'a', 100),
      strangerReplayed: stranger.received.length,
    });
    expect(result).toEqual({ sent: 100, received: 100, lost: 0, duplicated: 0, outOfOrder: 0, strangerReplayed: 0 });
    expect(again.gaps).toEqual([]);
  });

  it("durable: a stream trimmed past an instance's position is reported (trimmed, and the exact sequence loss)", async () => {
    server = await RedisServer.start();
    instances = await Promise.all(
      ['a', 'b'].map((id) => instance('news', { url: server.url, instanceId: id, namespace: 'trim' })),
    );
    const [a, b] = instances;
    a.bridge.broadcast(a.signal, { durable: true, maxLen: 10 });
    b.bridge.broadcast(b.signal, { durable: true, maxLen: 10 });
    await Promise.all(instances.map(({ bridge }) => bridge.ready()));
    a.signal.send(a.bridge, { n: 1 });
    await until(() => b.received.length === 1, 'b to receive 1');
    await b.bridge.close();
    for (let n = 2; n <= 500; n++) a.signal.send(a.bridge, { n });
    await sleep(300);
    const again = await instance('news', { url: server.url, instanceId: 'b', namespace: 'trim' });
    instances.push(again);
    again.bridge.broadcast(again.signal, { durable: true, maxLen: 10 });
    await until(() => again.received.some((r) => r.n === 500), 'the replay to reach 500');
    const all = [...b.received, ...again.received];
    const result = keepFigures('durable stream trimmed past a position', {
      sent: 500,
      ...figures(all, 'a', 500),
      reported: reportedLost(again.gaps, 'a'),
    });
    expect(result.lost).toBeGreaterThan(0);
    expect(result.lost).toBe(result.reported);
    expect(result).toMatchObject({ duplicated: 0, outOfOrder: 0 });
    expect(again.gaps).toContainEqual({ reason: 'trimmed', signal: 'news' });
  });

  it('close() flushes an outbox not yet sent', async () => {
    server = await RedisServer.start();
    const [a, b] = await pair({ ns: 'close' });
    for (let n = 1; n <= 1000; n++) a.signal.send(a.bridge, { n });
    await a.bridge.close();
    await until(() => b.received.length === 1000, 'b to receive 1,000');
    const result = keepFigures('close() with an unflushed outbox', { sent: 1000, ...figures(b.received, 'a', 1000) });
    expect(result).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0 });
  });

  it('close() within closeTimeoutMs while Redis does not answer: what is left is reported lost', async () => {
    server = await RedisServer.start();
    const [a, b] = await pair({ ns: 'close-paused', closeTimeoutMs: 200 });
    await admin(server.url, ['CLIENT', 'PAUSE', '1500', 'ALL']);
    for (let n = 1; n <= 100; n++) a.signal.send(a.bridge, { n });
    const started = performance.now();
    await a.bridge.close();
    const closeMs = performance.now() - started;
    await sleep(1_800);
    const lost = a.gaps
      .filter((gap) => gap.reason === 'outbox-overflow')
      .reduce((sum, gap) => sum + (gap.lost ?? 0), 0);
    const result = keepFigures('close() while Redis is paused', {
      sent: 100,
      closeMs: Math.round(closeMs),
      reportedLostByOrigin: lost,
      ...figures(b.received, 'a', 100),
    });
    expect(closeMs).toBeLessThan(1_000);
    expect(result.lost).toBe(result.reportedLostByOrigin);
    expect(result.lost).toBe(100);
  });
});

describeWithRedis('groups across a Redis restart (SIGKILL)', () => {
  for (const aof of [true, false]) {
    it(
      aof ? 'with AOF: nothing lost, nothing duplicated' : 'without persistence: the group is recreated and reported',
      async () => {
        const server = await RedisServer.start({ aof });
        const bridges: RedisBridge[] = [];
        try {
          const ns = aof ? 'aof' : 'volatile';
          const [sender, member] = await Promise.all(
            ['sender', 'member'].map((id) => redisBridge({ url: server.url, instanceId: id, namespace: ns })),
          );
          bridges.push(sender, member);
          const gaps: BridgeGap[] = [];
          member.gaps$.subscribe((gap) => gaps.push(gap));
          member.errors$.subscribe(() => {}); // connection errors while Redis is down are expected here
          sender.errors$.subscribe(() => {});
          const orders = new Signal<Numbered>('orderPlaced');
          const handled: number[] = [];
          member.connect(new Signal<Numbered>('orderPlaced'), ({ n }) => void handled.push(n), { group: 'mailer' });
          sender.share(orders);
          await Promise.all([sender.ready(), member.ready()]);
          for (let n = 1; n <= 100; n++) orders.send(sender, { n });
          await until(() => handled.length === 100, 'the first 100');
          await sleep(100); // acks
          await server.kill();
          for (let n = 101; n <= 200; n++) orders.send(sender, { n }); // while Redis is down
          await sleep(200);
          await server.restart();
          await until(() => handled.length >= 200, 'all 200', 15_000);
          await sleep(300);
          const counts = new Map<number, number>();
          for (const n of handled) counts.set(n, (counts.get(n) ?? 0) + 1);
          const lost = Array.from({ length: 200 }, (_, i) => i + 1).filter((n) => !counts.has(n)).length;
          const duplicated = handled.length - counts.size;
          const groupLost = gaps.filter((gap) => gap.reason === 'group-lost').length;
          const result = keepFigures(`group across SIGKILL + restart, ${aof ? 'AOF' : 'no persistence'}`, {
            sent: 200,
            handled: handled.length,
            lost,
            duplicated,
            groupLost,
          });
          expect(result).toEqual({ sent: 200, handled: 200, lost: 0, duplicated: 0, groupLost: aof ? 0 : 1 });
        } finally {
          await Promise.all(bridges.map((bridge) => bridge.close()));
          await server.stop();
        }
      },
    );
  }
});
