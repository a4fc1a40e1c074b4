import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Subscription, type Observable } from 'rxjs';
import { describeValue, requireFunction, requireSignal } from '../core/checks';
import type { Signal, SignalArgs } from '../core/signal';
import type { Codec } from './codec';
import { destroyQuietly, openClient, openDuplicate, reportErrors, type BridgeRedisClient } from './connection';
import { keys, pause, type BridgeContext } from './context';
import { Broadcast } from './broadcast';
import type { ClusterBridge, InstanceSummary } from '../panel/cluster';
import { ClusterSummaries } from './cluster-summaries';
import { toFields } from './envelope';
import { GroupMember, type GroupReceiver } from './group-member';
import { LocalTap, type Delivery } from './local-tap';
import {
  bridgeOptions,
  broadcastOptions,
  groupOptions,
  shareOptions,
  type BroadcastOptions,
  type GroupOptions,
  type RedisBridgeOptions,
  type ShareOptions,
} from './options';
import { Publisher, type Route } from './publisher';
import { RemoteSenders, type RemoteSender } from './remote-sender';
import { Reports, safeText, type BridgeError, type BridgeGap } from './reports';

/**
 * A signal whose receivers can take events from other instances (their sender is a RemoteSender).
 *
 * @example
 * const orderPlaced = new Signal<{ orderId: string }>('orderPlaced'); // any sender: a RemoteSender fits
 * bridge.broadcast(orderPlaced);
 */
export type BroadcastSignal<Args extends SignalArgs, Sender> = Signal<Args, Sender> &
  (RemoteSender extends Sender ? unknown : { 'a broadcast signal must accept RemoteSender senders': never });

/**
 * Signals across instances over Redis: made by {@link redisBridge}.
 *
 * @example
 * const bridge = await redisBridge({ url: 'redis://localhost:6379' });
 * bridge.broadcast(settingChanged);                                        // every instance hears it
 * bridge.connect(orderPlaced, sendReceipt, { group: 'mailer' });           // one instance handles each
 * bridge.gaps$.subscribe((gap) => log.warn(gap, 'events may have been lost'));
 * await bridge.close();
 */
export interface RedisBridge extends ClusterBridge {
  /** This instance's id: the `instanceId` option, or a random one. */
  readonly instanceId: string;
  /** Every possible loss the bridge saw. */
  readonly gaps$: Observable<BridgeGap>;
  /** What could not be carried or read (with nobody subscribed, each goes to `console.error`). */
  readonly errors$: Observable<BridgeError>;
  /** Every local send of `signal` is also sent on every other instance (at most once; `durable`: replayed). */
  broadcast<Args extends SignalArgs, Sender>(
    signal: BroadcastSignal<Args, Sender>,
    options?: BroadcastOptions<Args>,
  ): Subscription;
  /** Every local send of `signal` becomes an entry of its stream, for the groups of `connect`. */
  share<Args extends SignalArgs, Sender>(signal: Signal<Args, Sender>, options?: ShareOptions<Args>): Subscription;
  /** Makes `receiver` a member of `options.group`: each entry of the signal's stream is handled by one member of each group. */
  connect<Args extends SignalArgs, Sender>(
    signal: Signal<Args, Sender>,
    receiver: GroupReceiver<Args>,
    options: GroupOptions<Args>,
  ): Subscription;
  /** The RemoteSender of an instance: the same object every time. */
  remote(instanceId: string): RemoteSender;
  /** The delivery of an event that came through the bridge (an idempotency key); undefined for local events. */
  deliveryOf(event: object): Delivery | undefined;
  /** Resolves once every broadcast, share and group member made so far listens on Redis. */
  ready(): Promise<void>;
  /** Flushes the outbox (within `closeTimeoutMs`), then stops. Idempotent. */
  close(): Promise<void>;
  /** For the cluster panel (`signalsPanel({ bridge })`): hands this instance's summary to the others, at most once, never waiting. */
  publishSummary(summary: InstanceSummary): void;
  /** For the cluster panel: the summaries the other instances publish. */
  readonly summaries$: Observable<InstanceSummary>;
}

/** A part of the bridge that listens on Redis once started. */
interface Part {
  start(): Promise<void>;
  stop(): void;
}

/** A signal's shared stream: made by `share`, or by the first group member of `connect`. */
interface Shared {
  readonly route: Route;
  readonly codec: Codec;
  explicit: boolean;
  members: number;
}

class Bridge implements RedisBridge {
  readonly gaps$: Observable<BridgeGap>;
  readonly errors$: Observable<BridgeError>;
  readonly summaries$: Observable<InstanceSummary>;
  readonly #summaries: ClusterSummaries;
  readonly #ctx: BridgeContext & { closing: boolean };
  readonly #owned: boolean;
  readonly #subscriber: BridgeRedisClient;
  readonly #connections = new Set<BridgeRedisClient>();
  readonly #taps = new Map<object, LocalTap>();
  readonly #broadcasts = new Map<object, Broadcast>();
  readonly #shared = new Map<object, Shared>();
  readonly #starting = new Set<Promise<void>>();
  readonly #consumers = new Map<string, number>();
  readonly #closeTimeoutMs: number;
  readonly #maxPayloadBytes: number;
  #closed: Promise<void> | null = null;

  constructor(
    ctx: BridgeContext & { closing: boolean },
    owned: boolean,
    subscriber: BridgeRedisClient,
    limits: { closeTimeoutMs: number; maxPayloadBytes: number },
  ) {
    this.#ctx = ctx;
    this.#owned = owned;
    this.#subscriber = subscriber;
    this.#closeTimeoutMs = limits.closeTimeoutMs;
    this.#maxPayloadBytes = limits.maxPayloadBytes;
    this.gaps$ = ctx.reports.gaps$;
    this.errors$ = ctx.reports.errors$;
    this.#summaries = new ClusterSummaries(ctx, subscriber);
    this.summaries$ = this.#summaries.summaries$;
    // Connected already: every later 'ready' is a reconnect, after which Pub/Sub may have lost messages.
    subscriber.on('ready', () => {
      for (const broadcast of this.#broadcasts.values()) broadcast.reconnected();
    });
  }

  get instanceId(): string {
    return this.#ctx.instanceId;
  }

  broadcast<Args extends SignalArgs, Sender>(
    signal: BroadcastSignal<Args, Sender>,
    options?: BroadcastOptions<Args>,
  ): Subscription {
    const where = `bridge.broadcast(${nameOf('broadcast', signal)})`;
    const checked = broadcastOptions(where, options, this.#maxPayloadBytes);
    this.#open(where);
    if (this.#broadcasts.has(signal)) {
      throw new TypeError(
        `${where}: this bridge already broadcasts ${signal.name}; unsubscribe the first broadcast before bridging it again.`,
      );
    }
    const tap = this.#tap(signal);
    const broadcast = new Broadcast(this.#ctx, signal as Signal<SignalArgs, unknown>, tap, this.#subscriber, checked);
    this.#broadcasts.set(signal, broadcast);
    tap.add(broadcast.route);
    this.#start(broadcast);
    return new Subscription(() => {
      if (this.#broadcasts.get(signal) !== broadcast) return;
      this.#broadcasts.delete(signal);
      tap.remove(broadcast.route);
      broadcast.stop();
    });
  }

  share<Args extends SignalArgs, Sender>(signal: Signal<Args, Sender>, options?: ShareOptions<Args>): Subscription {
    const where = `bridge.share(${nameOf('share', signal)})`;
    const checked = shareOptions(where, options, this.#maxPayloadBytes);
    this.#open(where);
    const existing = this.#shared.get(signal);
    if (existing?.explicit)
      throw new TypeError(
        `${where}: this bridge already shares ${signal.name}; unsubscribe the first share before sharing it again.`,
      );
    const shared = existing ?? this.#addShared(signal, checked);
    shared.explicit = true;
    return new Subscription(() => {
      if (this.#shared.get(signal) !== shared || !shared.explicit) return;
      shared.explicit = false;
      this.#releaseShared(signal, shared);
    });
  }

  connect<Args extends SignalArgs, Sender>(
    signal: Signal<Args, Sender>,
    receiver: GroupReceiver<Args>,
    options: GroupOptions<Args>,
  ): Subscription {
    const where = `bridge.connect(${nameOf('connect', signal)})`;
    requireFunction(where, 'the receiver', receiver, 'Pass a function that takes the event.');
    const checked = groupOptions(where, options);
    this.#open(where);
    const shared =
      this.#shared.get(signal) ??
      this.#addShared(
        signal,
        shareOptions(where, checked.codec ? { codec: checked.codec } : undefined, this.#maxPayloadBytes),
      );
    shared.members++;
    const member = new GroupMember(
      this.#ctx,
      signal as unknown as Signal<Args, unknown>,
      receiver,
      this.#consumerName(signal.name, checked.group),
      checked.codec ?? shared.codec,
      checked,
    );
    this.#start(member);
    let connected = true;
    return new Subscription(() => {
      if (!connected) return;
      connected = false;
      member.stop();
      shared.members--;
      this.#releaseShared(signal, shared);
    });
  }

  remote(instanceId: string): RemoteSender {
    if (typeof instanceId !== 'string' || instanceId === '') {
      throw new TypeError(
        `bridge.remote(instanceId): the instance id must be a non-empty string, got ${describeValue(instanceId)}.`,
      );
    }
    return this.#ctx.remotes.of(instanceId);
  }

  publishSummary(summary: InstanceSummary): void {
    this.#summaries.publish(summary);
  }

  deliveryOf(event: object): Delivery | undefined {
    return typeof event === 'object' && event !== null ? this.#ctx.deliveries.get(event) : undefined;
  }

  async ready(): Promise<void> {
    while (this.#starting.size > 0) await Promise.all(this.#starting);
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    const ctx = this.#ctx;
    for (const tap of this.#taps.values()) tap.stop();
    const publisher = ctx.publisher;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.#closeTimeoutMs);
    });
    if (await Promise.race([publisher.drain().then(() => false), timedOut])) publisher.abandon();
    clearTimeout(timer);
    ctx.closing = true;
    for (const broadcast of this.#broadcasts.values()) broadcast.stop();
    this.#broadcasts.clear();
    for (const connection of this.#connections) destroyQuietly(connection);
    destroyQuietly(this.#subscriber);
    if (this.#owned) destroyQuietly(ctx.client);
    ctx.reports.complete();
  }

  #open(where: string): void {
    if (this.#closed !== null) throw new Error(`${where}: the bridge is closed.`);
  }

  #tap(signal: object): LocalTap {
    let tap = this.#taps.get(signal);
    if (tap === undefined) {
      tap = new LocalTap(signal as Signal<SignalArgs, unknown>, this.#ctx.publisher, this.#ctx.deliveries);
      this.#taps.set(signal, tap);
    }
    return tap;
  }

  #addShared(
    signal: Signal<SignalArgs, unknown> | object,
    options: { codec: Codec; maxLen: number; maxPayloadBytes: number },
  ): Shared {
    const { client, namespace, instanceId, epoch } = this.#ctx;
    const name = (signal as { name: string }).name;
    const key = keys.stream(namespace, name);
    const trim = { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: options.maxLen } } as const;
    const route: Route = {
      signalName: name,
      encode: (args) => options.codec.encode(args),
      maxPayloadBytes: options.maxPayloadBytes,
      seq: 0,
      send: (encoded, seq) => client.xAdd(key, '*', toFields(instanceId, epoch, seq, encoded), trim),
    };
    const shared: Shared = { route, codec: options.codec, explicit: false, members: 0 };
    this.#shared.set(signal, shared);
    this.#tap(signal).add(route);
    return shared;
  }

  #releaseShared(signal: object, shared: Shared): void {
    if (shared.explicit || shared.members > 0) return;
    this.#shared.delete(signal);
    this.#taps.get(signal)?.remove(shared.route);
  }

  /** `instanceId` for the first member of a group on a signal, then `instanceId~2`, ...: stable across restarts. */
  #consumerName(signal: string, group: string): string {
    const key = `${signal}\n${group}`;
    const count = (this.#consumers.get(key) ?? 0) + 1;
    this.#consumers.set(key, count);
    return count === 1 ? this.#ctx.instanceId : `${this.#ctx.instanceId}~${count}`;
  }

  /** Starts a part, retrying while Redis refuses (reported once); `ready()` waits for it. */
  #start(part: Part): void {
    const starting = (async () => {
      for (let attempt = 0; !this.#ctx.closing; attempt++) {
        try {
          await part.start();
          return;
        } catch (error) {
          if (this.#ctx.closing) return;
          if (attempt === 0)
            this.#ctx.reports.error({
              kind: 'redis',
              error: new Error(`starting failed, retrying: ${safeText(error)}`, { cause: error }),
            });
          await pause(Math.min(100 * 2 ** attempt, 2_000));
        }
      }
    })();
    this.#starting.add(starting);
    void starting.finally(() => this.#starting.delete(starting));
  }

  /** A new connection for a blocking reader, closed with the bridge. @internal */
  async connection(role: string): Promise<BridgeRedisClient> {
    const connection = await openDuplicate(this.#ctx.client, this.#ctx.reports, role);
    this.#connections.add(connection);
    if (this.#ctx.closing) destroyQuietly(connection);
    return connection;
  }
}

/** The name of a signal for messages; throws a TypeError for anything that is not a signal. */
function nameOf(method: string, signal: unknown): string {
  requireSignal(`bridge.${method}(signal)`, 'signal', signal, 'Pass the Signal to bridge, e.g. settingChanged.');
  return signal.name;
}

/**
 * Connects this instance to the others over Redis. Resolves once connected; rejects, naming
 * the URL, when Redis cannot be reached (at once when refused, within 5 s otherwise). Bad
 * options throw a TypeError or RangeError at the call.
 *
 * @example
 * import { redisBridge } from 'rx-signals/redis';
 * const bridge = await redisBridge({ url: process.env.REDIS_URL, instanceId: process.env.HOSTNAME });
 */
export function redisBridge(options?: RedisBridgeOptions): Promise<RedisBridge> {
  const checked = bridgeOptions(options);
  return (async () => {
    const owned = checked.client === undefined;
    const client = checked.client ?? (await openClient(checked.url));
    if (!owned && !client.isOpen) {
      throw new TypeError('redisBridge(): options.client is not connected; call await client.connect() first.');
    }
    const instanceId =
      checked.instanceId ??
      `${hostname().replace(/[^A-Za-z0-9._-]/g, '') || 'host'}-${process.pid}-${randomBytes(4).toString('hex')}`;
    const reports = new Reports(instanceId);
    if (owned) reportErrors(client, reports, 'command');
    let subscriber: BridgeRedisClient;
    try {
      subscriber = await openDuplicate(client, reports, 'Pub/Sub');
    } catch (error) {
      if (owned) destroyQuietly(client);
      throw error;
    }
    let bridge: Bridge | undefined;
    const ctx: BridgeContext & { closing: boolean } = {
      instanceId,
      epoch: randomBytes(6).toString('hex'),
      namespace: checked.namespace,
      stableId: checked.instanceId !== undefined,
      client,
      reports,
      remotes: new RemoteSenders(),
      publisher: new Publisher(checked.outboxSize, instanceId, reports),
      deliveries: new WeakMap(),
      closing: false,
      connection: (role) => bridge!.connection(role),
    };
    bridge = new Bridge(ctx, owned, subscriber, checked);
    return bridge;
  })();
}
