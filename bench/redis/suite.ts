/**
 * The Redis bridge benchmarks (`npm run bench -- --only=redis`), each a ratio against raw
 * node-redis doing the same work in the same run, on a private redis-server:
 * - broadcast throughput between two processes vs PUBLISH→SUBSCRIBE of the same JSON;
 * - p99 send→remote receiver latency vs raw pub/sub (one event in flight at a time, bridge and
 *   raw events alternating, so that both see the same moments of the machine);
 * - a local send with a broadcast relay attached vs the same send without (batches of the two
 *   alternate in one process; the ratio is the median of the pairs' ratios);
 * - group delivery throughput vs a raw XADD / XREADGROUP / XACK loop.
 * Rounds alternate bridge and raw; medians are reported.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'redis';
import { Signal } from '../../lib/core';
import { redisBridge } from '../../lib/redis';
import { RedisServer, redisServerAvailable } from '../../demo/redis-server';
import { BARS, checkBar, type BarCheck } from '../bars';
import type { BenchPlan } from '../options';
import { median, ratio } from '../stats';
import { PAYLOAD, type SenderConfig } from './payload';

/** What one run of the Redis section measured (medians across rounds). */
export interface RedisResults {
  readonly broadcastPerSecond: { bridge: number; raw: number };
  readonly p99Ms: { bridge: number; raw: number };
  /** `ratio` is the median of batch-by-batch ratios, not `with / without`. */
  readonly relaySendNs: { with: number; without: number; ratio: number };
  readonly groupPerSecond: { bridge: number; raw: number };
  readonly bars: BarCheck[];
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

export async function runRedis(
  plan: BenchPlan,
  log: (line: string) => void,
): Promise<RedisResults | { skipped: string; bars: BarCheck[] }> {
  if (!redisServerAvailable()) {
    const skipped = 'redis-server is missing (apt-get install -y redis-server)';
    return {
      skipped,
      bars: [BARS.redisBroadcast, BARS.redisP99, BARS.redisRelaySend, BARS.redisGroup].map((bar) =>
        checkBar(bar, undefined, skipped),
      ),
    };
  }
  const server = await RedisServer.start();
  try {
    const throughput = { bridge: [] as number[], raw: [] as number[] };
    const latency = { bridge: [] as number[], raw: [] as number[] };
    const relay = { with: [] as number[], without: [] as number[], ratio: [] as number[] };
    const group = { bridge: [] as number[], raw: [] as number[] };
    for (let round = 1; round <= plan.redisRounds; round++) {
      const step = async <T>(what: string, measure: () => Promise<T>): Promise<T> => {
        log(`redis round ${round}/${plan.redisRounds}: ${what}`);
        return measure();
      };
      for (const mode of ['bridge', 'raw'] as const) {
        throughput[mode].push(
          await step(`broadcast throughput, ${mode}`, () =>
            broadcastThroughput(server.url, mode, plan.redisEvents, round),
          ),
        );
        group[mode].push(
          await step(`group throughput, ${mode}`, () =>
            groupThroughput(server.url, mode, plan.redisGroupEvents, round),
          ),
        );
      }
      const p99 = await step('p99 latency, bridge and raw alternating', () =>
        p99Latency(server.url, plan.redisLatencySamples, round),
      );
      latency.bridge.push(p99.bridge);
      latency.raw.push(p99.raw);
      const sends = await step('local send, relay attached and not', () =>
        relaySendNs(server.url, plan.redisRelaySends),
      );
      relay.with.push(sends.with);
      relay.without.push(sends.without);
      relay.ratio.push(sends.ratio);
    }
    const results = {
      broadcastPerSecond: { bridge: median(throughput.bridge), raw: median(throughput.raw) },
      p99Ms: { bridge: median(latency.bridge), raw: median(latency.raw) },
      relaySendNs: { with: median(relay.with), without: median(relay.without), ratio: median(relay.ratio) },
      groupPerSecond: { bridge: median(group.bridge), raw: median(group.raw) },
    };
    return {
      ...results,
      bars: [
        checkBar(BARS.redisBroadcast, ratio(results.broadcastPerSecond.bridge, results.broadcastPerSecond.raw)),
        checkBar(BARS.redisP99, ratio(results.p99Ms.bridge, results.p99Ms.raw)),
        checkBar(BARS.redisRelaySend, results.relaySendNs.ratio),
        checkBar(BARS.redisGroup, ratio(results.groupPerSecond.bridge, results.groupPerSecond.raw)),
      ],
    };
  } finally {
    await server.stop();
  }
}

/** Events/s from a sender process to this one: from "go" to the last event received. */
async function broadcastThroughput(url: string, mode: 'bridge' | 'raw', count: number, round: number): Promise<number> {
  const namespace = `bench-broadcast-${mode}-${round}`;
  const config: SenderConfig = {
    url,
    namespace,
    signal: 'orderPlaced',
    channel: `${namespace}:raw`,
    count,
    chunk: 500,
  };
  let received = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const count1 = () => {
    if (++received === count) done();
  };
  let stop: () => Promise<unknown>;
  if (mode === 'bridge') {
    const bridge = await redisBridge({ url, namespace });
    const signal = new Signal<typeof PAYLOAD>('orderPlaced');
    signal.connect(count1);
    bridge.broadcast(signal);
    await bridge.ready();
    stop = () => bridge.close();
  } else {
    const subscriber = createClient({ url });
    await subscriber.connect();
    await subscriber.subscribe(config.channel, (message) => {
      JSON.parse(message);
      count1();
    });
    stop = () => subscriber.close();
  }
  const sender = await startSender(mode, config);
  try {
    const started = performance.now();
    sender.send({ go: true });
    await all;
    return (count * 1000) / (performance.now() - started);
  } finally {
    sender.send({ close: true });
    await stop();
  }
}

function startSender(mode: string, config: SenderConfig): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'sender-process.js'), [mode, JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the bench sender exited with ${code}`)));
  });
}

/**
 * p99 ms from a send to its arrival in another connection, bridge and raw node-redis, one event
 * in flight at a time, the two alternating event by event.
 */
async function p99Latency(url: string, samples: number, round: number): Promise<{ bridge: number; raw: number }> {
  const namespace = `bench-latency-${round}`;
  let arrived: () => void = () => {};
  const [a, b] = await Promise.all([redisBridge({ url, namespace }), redisBridge({ url, namespace })]);
  const [from, to] = [new Signal<typeof PAYLOAD>('orderPlaced'), new Signal<typeof PAYLOAD>('orderPlaced')];
  to.connect(() => arrived());
  a.broadcast(from);
  b.broadcast(to);
  const [publisher, subscriber] = [createClient({ url }), createClient({ url })];
  const rawChannel = `${namespace}-raw`;
  const send = {
    bridge: () => void from.send(a, PAYLOAD),
    raw: () => void publisher.publish(rawChannel, JSON.stringify(PAYLOAD)).catch(() => {}),
  };
  const times = { bridge: [] as number[], raw: [] as number[] };
  try {
    await Promise.all([a.ready(), b.ready(), publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(rawChannel, (message) => {
      JSON.parse(message);
      arrived();
    });
    for (let i = 0; i < samples + 50; i++) {
      for (const mode of ['bridge', 'raw'] as const) {
        const started = performance.now();
        await new Promise<void>((resolve) => {
          arrived = resolve;
          send[mode]();
        });
        if (i >= 50) times[mode].push(performance.now() - started); // the first 50 warm up
      }
    }
  } finally {
    await Promise.all([a.close(), b.close(), publisher.close(), subscriber.close()]);
  }
  return { bridge: percentile99(times.bridge), raw: percentile99(times.raw) };
}

function percentile99(times: number[]): number {
  times.sort((x, y) => x - y);
  return times[Math.min(times.length - 1, Math.floor(times.length * 0.99))];
}

/**
 * ns per local send (1 receiver) of a signal with a broadcast relay attached and of one without,
 * in alternate batches of 1,000 in this process: the relay's encoding and publishing run between
 * batches, as they do between an app's sends, and a slow spell of the machine slows both sides
 * of a pair.
 */
async function relaySendNs(url: string, sends: number): Promise<{ with: number; without: number; ratio: number }> {
  let calls = 0;
  const relayed = new Signal<typeof PAYLOAD>('orderPlaced');
  const local = new Signal<typeof PAYLOAD>('orderPlacedHere');
  relayed.connect(() => void calls++);
  local.connect(() => void calls++);
  const bridge = await redisBridge({ url, namespace: 'bench-relay' });
  const batch = 1000;
  const timeBatch = (signal: Signal<typeof PAYLOAD>) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) signal.send(null, PAYLOAD);
    return Number(process.hrtime.bigint() - started) / batch;
  };
  const figures = { with: [] as number[], without: [] as number[], ratio: [] as number[] };
  try {
    bridge.broadcast(relayed);
    await bridge.ready();
    for (let done = -10 * batch; done < sends; done += batch) {
      const withRelay = timeBatch(relayed);
      await turn();
      const without = timeBatch(local);
      await turn();
      if (done < 0) continue; // the first 10 pairs warm up
      figures.with.push(withRelay);
      figures.without.push(without);
      figures.ratio.push(withRelay / without);
    }
  } finally {
    await bridge.close();
  }
  if (calls === 0) throw new Error('the relay bench sent to nobody');
  return { with: median(figures.with), without: median(figures.without), ratio: median(figures.ratio) };
}

/** Events/s through a consumer group: sent on one connection, handled and acked on another. */
async function groupThroughput(url: string, mode: 'bridge' | 'raw', count: number, round: number): Promise<number> {
  const namespace = `bench-group-${mode}-${round}`;
  let handled = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const handle = () => {
    if (++handled === count) done();
  };
  let send: () => void;
  let stop: () => Promise<unknown>;
  if (mode === 'bridge') {
    const [sender, member] = await Promise.all([
      redisBridge({ url, namespace, outboxSize: count }),
      redisBridge({ url, namespace }),
    ]);
    const orders = new Signal<typeof PAYLOAD>('orderPlaced');
    member.connect(new Signal<typeof PAYLOAD>('orderPlaced'), handle, { group: 'mailer' });
    sender.share(orders);
    await Promise.all([sender.ready(), member.ready()]);
    send = () => orders.send(sender, PAYLOAD);
    stop = () => Promise.all([sender.close(), member.close()]);
  } else {
    const [producer, consumer] = [createClient({ url }), createClient({ url })];
    await Promise.all([producer.connect(), consumer.connect()]);
    const key = `${namespace}:stream`;
    await producer.xGroupCreate(key, 'mailer', '$', { MKSTREAM: true });
    let running = true;
    void (async () => {
      while (running) {
        const reply = (await consumer
          .xReadGroup('mailer', 'c1', { key, id: '>' }, { COUNT: 256, BLOCK: 1000 })
          .catch(() => null)) as { messages: { id: string; message: Record<string, string> }[] }[] | null;
        const messages = reply?.[0]?.messages ?? [];
        for (const { message } of messages) {
          JSON.parse(message.p);
          handle();
        }
        if (messages.length > 0)
          await consumer
            .xAck(
              key,
              'mailer',
              messages.map(({ id }) => id),
            )
            .catch(() => {});
      }
    })();
    send = () =>
      void producer
        .xAdd(
          key,
          '*',
          { p: JSON.stringify(PAYLOAD) },
          { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: 100_000 } },
        )
        .catch(() => {});
    stop = async () => {
      running = false;
      producer.destroy();
      consumer.destroy();
    };
  }
  try {
    const started = performance.now();
    for (let sent = 0; sent < count;) {
      for (const end = Math.min(sent + 500, count); sent < end; sent++) send();
      await turn();
    }
    await all;
    return (count * 1000) / (performance.now() - started);
  } finally {
    await stop();
  }
}
