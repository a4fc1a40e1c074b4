import { Subscription, type Observable } from 'rxjs';
import { describeValue, requireFunction, requireSignal } from '../core/checks';
import type { Signal, SignalArgs } from '../core/signal';
import type { Codec } from './codec';
import { destroyQuietly, openDuplicate, type BridgeRedisClient } from './connection';
import { keys, pause, type BridgeContext } from './context';
import { Broadcast } from './broadcast';
import type { InstanceSummary } from '../panel/cluster';
import { ClusterSummaries } from './cluster-summaries';
import { toFields } from './envelope';
import { GroupMember, type GroupReceiver } from './group-member';
import { LocalTap, type Delivery } from './local-tap';
import {
  broadcastOptions,
  groupOptions,
  shareOptions,
  type BroadcastOptions,
  type GroupOptions,
  type ShareOptions,
} from './options';
import type { Route } from './publisher';
import type { RemoteSender } from './remote-sender';
import { safeText, type BridgeError, type BridgeGap } from './reports';
import type { BroadcastSignal, RedisBridge } from './redis-bridge';

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

/** The bridge behind {@link redisBridge}. @internal */
export class Bridge implements RedisBridge {
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
      dropped: 0,
      perCommand: 1,
      send: ([encoded], seq) => client.xAdd(key, '*', toFields(instanceId, epoch, seq, encoded), trim),
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
