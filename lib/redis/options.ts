import {
  describeValue,
  rejectUnknownKeys,
  requireBoolean,
  requireInteger,
  requireOptionsObject,
  requireTimerMs,
} from '../core/checks';
import { checkCodec, jsonCodec, type Codec } from './codec';
import { INSTANCE_ID } from './envelope';
import type { BridgeRedisClient } from './connection';

/**
 * Options of {@link redisBridge}.
 *
 * @example
 * const bridge = await redisBridge({ url: process.env.REDIS_URL, namespace: 'shop', instanceId: process.env.HOSTNAME });
 */
export interface RedisBridgeOptions {
  /** Where Redis is (`redis://[[user]:password@]host[:port][/db]`), when no `client` is given. Default `redis://localhost:6379`. */
  url?: string;
  /** A connected node-redis client of the app (RESP2, the default): used for commands and left open by `close()`. */
  client?: BridgeRedisClient;
  /** Prefix of every key and channel, so several apps can share one Redis. Default `'rx-signals'`. */
  namespace?: string;
  /** This instance's id (letters, digits, `._:@-`). Give a stable one for durable replay across restarts. Default: random. */
  instanceId?: string;
  /** Largest encoded args accepted, in bytes. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Local sends waiting for Redis, at most; beyond it the oldest are dropped (`outbox-overflow`). Default 10,000. */
  outboxSize?: number;
  /** How long `close()` may take to flush the outbox. Default 5,000 ms. */
  closeTimeoutMs?: number;
}

/**
 * Options of `bridge.broadcast()`.
 *
 * @example
 * bridge.broadcast(settingChanged, { durable: true, maxLen: 1_000 });
 */
export interface BroadcastOptions<Args extends object = object> {
  /** How args cross Redis. Default: JSON ({@link jsonCodec}). */
  codec?: Codec<Args>;
  /** Carry the events on a capped stream that a reconnecting instance replays. Default false (Pub/Sub). */
  durable?: boolean;
  /** About how many events the durable stream keeps. Default 10,000. */
  maxLen?: number;
  /** Largest encoded args for this signal. Default: the bridge's. */
  maxPayloadBytes?: number;
}

/**
 * Options of `bridge.share()`.
 *
 * @example
 * bridge.share(orderPlaced, { maxLen: 1_000_000 });
 */
export interface ShareOptions<Args extends object = object> {
  codec?: Codec<Args>;
  /** About how many entries the signal's stream keeps. Default 100,000. */
  maxLen?: number;
  maxPayloadBytes?: number;
}

/**
 * Options of `bridge.connect()`: the receiver becomes a member of `group`.
 *
 * @example
 * bridge.connect(orderPlaced, sendReceipt, { group: 'mailer', maxAttempts: 3, retryDelayMs: 2_000 });
 */
export interface GroupOptions<Args extends object = object> {
  /** The consumer group: each entry is handled by one member of each group. */
  group: string;
  codec?: Codec<Args>;
  /** Attempts before an entry goes to the dead letter stream. Default 5. */
  maxAttempts?: number;
  /** An entry pending this long on a member that did not renew it is reclaimed by another. Default 30,000 ms. */
  claimIdleMs?: number;
  /** Wait before a failed entry is tried again. Default 1,000 ms. */
  retryDelayMs?: number;
}

export const DEFAULTS = {
  namespace: 'rx-signals',
  maxPayloadBytes: 1024 * 1024,
  outboxSize: 10_000,
  closeTimeoutMs: 5_000,
  durableMaxLen: 10_000,
  shareMaxLen: 100_000,
  maxAttempts: 5,
  claimIdleMs: 30_000,
  retryDelayMs: 1_000,
} as const;

const BRIDGE_KEYS = [
  'url',
  'client',
  'namespace',
  'instanceId',
  'maxPayloadBytes',
  'outboxSize',
  'closeTimeoutMs',
] as const;
const BROADCAST_KEYS = ['codec', 'durable', 'maxLen', 'maxPayloadBytes'] as const;
const SHARE_KEYS = ['codec', 'maxLen', 'maxPayloadBytes'] as const;
const GROUP_KEYS = ['group', 'codec', 'maxAttempts', 'claimIdleMs', 'retryDelayMs'] as const;

/** A whole number within [min, max], or the default when left out. */
function integerOption(
  where: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  requireInteger(where, `options.${name}`, value, { min });
  if (value > max) throw new RangeError(`${where}: options.${name} must be at most ${max}, got ${value}.`);
  return value;
}

/** A timer delay (bounded to 2^31-1 ms, where timers would fire at once), or the default. */
function timerOption(where: string, name: string, value: unknown, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  requireTimerMs(where, `options.${name}`, value, { allowZero });
  return value;
}

function stringOption(where: string, name: string, value: unknown, pattern: RegExp, hint: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new TypeError(`${where}: options.${name} must be ${hint}, got ${describeValue(value)}.`);
  }
  return value;
}

/** The bridge's options, checked, with defaults. @internal */
export function bridgeOptions(options: RedisBridgeOptions | undefined) {
  const where = 'redisBridge()';
  requireOptionsObject(where, options);
  const given = options ?? {};
  rejectUnknownKeys(where, given, BRIDGE_KEYS);
  const { client } = given;
  if (
    client !== undefined &&
    (typeof client !== 'object' || client === null || typeof client.duplicate !== 'function')
  ) {
    throw new TypeError(
      `${where}: options.client must be a node-redis client (createClient() of 'redis'), got ${describeValue(client)}.`,
    );
  }
  if (client !== undefined && given.url !== undefined) {
    throw new TypeError(`${where}: give options.url or options.client, not both.`);
  }
  return {
    url: stringOption(where, 'url', given.url, /^rediss?:\/\/\S*$/, 'a redis:// or rediss:// URL'),
    client,
    namespace:
      stringOption(where, 'namespace', given.namespace, /^[^\s]{1,64}$/, 'a non-empty string without spaces') ??
      DEFAULTS.namespace,
    instanceId: stringOption(
      where,
      'instanceId',
      given.instanceId,
      INSTANCE_ID,
      'a string of 1 to 128 letters, digits or ._:@-',
    ),
    maxPayloadBytes: integerOption(
      where,
      'maxPayloadBytes',
      given.maxPayloadBytes,
      DEFAULTS.maxPayloadBytes,
      1,
      512 * 1024 * 1024,
    ),
    outboxSize: integerOption(where, 'outboxSize', given.outboxSize, DEFAULTS.outboxSize, 1, 10_000_000),
    closeTimeoutMs: timerOption(where, 'closeTimeoutMs', given.closeTimeoutMs, DEFAULTS.closeTimeoutMs, true),
  };
}

/** The parts every bridged signal has: its codec, payload limit and stream length. */
function streamOptions(where: string, given: ShareOptions, maxLenDefault: number, maxPayloadDefault: number) {
  if (given.codec !== undefined) checkCodec(where, given.codec);
  return {
    codec: (given.codec ?? jsonCodec) as Codec,
    maxLen: integerOption(where, 'maxLen', given.maxLen, maxLenDefault, 1, Number.MAX_SAFE_INTEGER),
    maxPayloadBytes: integerOption(
      where,
      'maxPayloadBytes',
      given.maxPayloadBytes,
      maxPayloadDefault,
      1,
      512 * 1024 * 1024,
    ),
  };
}

/** @internal */
export function broadcastOptions(where: string, options: unknown, maxPayloadDefault: number) {
  requireOptionsObject(where, options);
  const given = (options ?? {}) as BroadcastOptions;
  rejectUnknownKeys(where, given, BROADCAST_KEYS);
  if (given.durable !== undefined) requireBoolean(where, 'options.durable', given.durable);
  return { ...streamOptions(where, given, DEFAULTS.durableMaxLen, maxPayloadDefault), durable: given.durable ?? false };
}

/** @internal */
export function shareOptions(where: string, options: unknown, maxPayloadDefault: number) {
  requireOptionsObject(where, options);
  const given = (options ?? {}) as ShareOptions;
  rejectUnknownKeys(where, given, SHARE_KEYS);
  return streamOptions(where, given, DEFAULTS.shareMaxLen, maxPayloadDefault);
}

/** @internal */
export function groupOptions(where: string, options: unknown) {
  if (options === undefined) {
    throw new TypeError(`${where}: options.group is required: bridge.connect(signal, receiver, { group: 'mailer' }).`);
  }
  requireOptionsObject(where, options);
  const given = options as GroupOptions;
  rejectUnknownKeys(where, given, GROUP_KEYS);
  if (typeof given.group !== 'string' || given.group.trim() === '') {
    throw new TypeError(
      `${where}: options.group must be a non-empty string naming the consumer group, got ${describeValue(given.group)}.`,
    );
  }
  if (given.codec !== undefined) checkCodec(where, given.codec);
  return {
    group: given.group,
    codec: given.codec as Codec | undefined,
    maxAttempts: integerOption(where, 'maxAttempts', given.maxAttempts, DEFAULTS.maxAttempts, 1, 1_000_000),
    claimIdleMs: timerOption(where, 'claimIdleMs', given.claimIdleMs, DEFAULTS.claimIdleMs, false),
    retryDelayMs: timerOption(where, 'retryDelayMs', given.retryDelayMs, DEFAULTS.retryDelayMs, true),
  };
}
