import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Observable, Subscription } from 'rxjs';
import type { Signal, SignalArgs } from '../core/signal';
import type { ClusterBridge, InstanceSummary } from '../panel/cluster';
import { Bridge } from './bridge';
import { destroyQuietly, openClient, openDuplicate, reportErrors, type BridgeRedisClient } from './connection';
import type { BridgeContext } from './context';
import type { GroupReceiver } from './group-member';
import type { Delivery } from './local-tap';
import {
  bridgeOptions,
  type BroadcastOptions,
  type GroupOptions,
  type RedisBridgeOptions,
  type ShareOptions,
} from './options';
import { Publisher } from './publisher';
import { RemoteSenders, type RemoteSender } from './remote-sender';
import { Reports, type BridgeError, type BridgeGap } from './reports';

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
