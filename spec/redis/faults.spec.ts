import { createClient } from 'redis';
import { Signal } from '../../lib/core';
import { redisBridge, type BridgeGap, type BridgeRedisClient, type RedisBridge } from '../../lib/redis';
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
  let observer: BridgeRedisClient | undefined;

  afterEach(async () => {
    await Promise.all(instances.map(({ bridge }) => bridge.close()));
    instances = [];
    observer?.destroy();
    observer = undefined;
    await server?.stop();
  });

  /** Where commands of the test itself go: the server, with the default user's password once set. */
  let adminUrl = '';

  /**
   * a and b broadcasting `news`. With `bAsUser`, b connects as its own ACL user `b` and every
   * connection needs a password, so that {@link cutOffWhile} can keep b away.
   */
  async function pair(options: { durable?: boolean; ns: string; closeTimeoutMs?: number; bAsUser?: boolean }) {
    const { ns: namespace, closeTimeoutMs } = options;
    adminUrl = server.url;
    let bUrl = server.url;
    if (options.bAsUser === true) {
      await admin(server.url, ['ACL', 'SETUSER', 'b', 'on', '>b-secret', '~*', '&*', '+@all']);
      await admin(server.url, ['ACL', 'SETUSER', 'default', 'resetpass', '>a-secret']);
      adminUrl = server.url.replace('redis://', 'redis://default:a-secret@');
      bUrl = server.url.replace('redis://', 'redis://b:b-secret@');
    }
    instances = await Promise.all([
      instance('news', { url: adminUrl, instanceId: 'a', namespace, closeTimeoutMs }),
      instance('news', { url: bUrl, instanceId: 'b', namespace, closeTimeoutMs }),
    ]);
    for (const { bridge, signal } of instances) bridge.broadcast(signal, { durable: options.durable });
    await Promise.all(instances.map(({ bridge }) => bridge.ready()));
    return instances;
  }

  /**
   * `CLIENT KILL TYPE pubsub` while b's user is off, so that b's subscriber stays away until a's
   * events up to the one `send` returns were published (seen by an observer subscribed after the
   * kill). A plain kill races: b is back within ~2 ms, which a busy machine's publisher may not
   * beat (then nothing is lost). Every connection needs a password here: a refused AUTH leaves a
   * connection on the default user, and a SUBSCRIBE written after it would succeed.
   */
  async function cutOffWhile(send: () => number): Promise<void> {
    await admin(adminUrl, ['ACL', 'SETUSER', 'b', 'off']);
    await admin(adminUrl, ['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    const published: string[] = [];
    observer = createClient({ url: adminUrl });
    await observer.connect();
    await observer.pSubscribe('*', (message) => void published.push(message));
    const lastN = send();
    await until(() => published.some((message) => message.includes(`{"n":${lastN}}`)), `a to publish ${lastN}`);
    await admin(adminUrl, ['ACL', 'SETUSER', 'b', 'on']);
  }

  it('CLIENT KILL TYPE pubsub mid-stream: the loss is reported with its exact count', async () => {
    server = await RedisServer.start();
    const [a, b] = await pair({ ns: 'kill', bAsUser: true });
    let sent = 0;
    const sendBatch = (count: number) => {
      for (let i = 0; i < count; i++) a.signal.send(a.bridge, { n: ++sent });
      return sent;
    };
    sendBatch(200);
    await until(() => b.received.length === 200, 'the first 200');
    await cutOffWhile(() => sendBatch(200)); // published while b's subscriber is away
    await until(() => b.gaps.some((gap) => gap.reason === 'reconnect'), 'the reconnect');
    sendBatch(200); // the sequence loss is told by the next event that arrives
    await until(() => b.received.some((r) => r.n === sent), 'the last event');
    const result = keepFigures('CLIENT KILL TYPE pubsub', {
      sent,
      ...figures(b.received, 'a', sent),
      reported: reportedLost(b.gaps, 'a'),
    });
    expect(result).toEqual({ sent: 600, received: 400, lost: 200, duplicated: 0, outOfOrder: 0, reported: 200 });
    expect(b.gaps).toContainEqual({ reason: 'reconnect', signal: 'news' });
  });

  it('the last events of an origin lost (no later event): its "last sequence" reports them with the exact count', async () => {
    server = await RedisServer.start();
    const [a, b] = await pair({ ns: 'tail', bAsUser: true });
    for (let n = 1; n <= 100; n++) a.signal.send(a.bridge, { n });
    await until(() => b.received.length === 100, 'the first 100');
    await cutOffWhile(() => {
      for (let n = 101; n <= 300; n++) a.signal.send(a.bridge, { n });
      return 300; // then a goes quiet
    });
    await until(() => b.gaps.some((gap) => gap.reason === 'reconnect'), 'the reconnect');
    // Only a's last sequence, about a second after it went quiet, can tell b.
    await until(() => reportedLost(b.gaps, 'a') > 0, "a's last sequence");
    await sleep(100); // a second report would be a double count
    const result = keepFigures('tail loss (last sequence)', {
      sent: 300,
      ...figures(b.received, 'a', 300),
      reported: reportedLost(b.gaps, 'a'),
    });
    expect(result).toEqual({ sent: 300, received: 100, lost: 200, duplicated: 0, outOfOrder: 0, reported: 200 });
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
