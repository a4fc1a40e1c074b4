import type { BridgeRedisClient } from './connection';
import type { Delivery } from './local-tap';
import type { Publisher } from './publisher';
import type { RemoteSenders } from './remote-sender';
import type { Reports } from './reports';

/** What the parts of one bridge share. @internal */
export interface BridgeContext {
  readonly instanceId: string;
  /** Random per bridge object: a restarted instance's sequence numbers start a new epoch. */
  readonly epoch: string;
  readonly namespace: string;
  /** True when `instanceId` was given: durable positions are kept in Redis for the next run. */
  readonly stableId: boolean;
  readonly client: BridgeRedisClient;
  readonly reports: Reports;
  readonly remotes: RemoteSenders;
  readonly publisher: Publisher;
  readonly deliveries: WeakMap<object, Delivery>;
  /** True once `close()` started: loops end, nothing new starts. */
  readonly closing: boolean;
  /** A new connection for a blocking reader; closed by the bridge's `close()`. */
  connection(role: string): Promise<BridgeRedisClient>;
}

/** Keys and channels of a signal within the namespace. @internal */
export const keys = {
  channel: (ns: string, signal: string) => `${ns}:broadcast:${signal}`,
  durable: (ns: string, signal: string) => `${ns}:durable:${signal}`,
  positions: (ns: string, instanceId: string) => `${ns}:positions:${instanceId}`,
  stream: (ns: string, signal: string) => `${ns}:stream:${signal}`,
  dead: (ns: string, signal: string) => `${ns}:dead:${signal}`,
  instances: (ns: string) => `${ns}:instances`,
};

/** Waits `ms` (for backoffs between failed reads). @internal */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Compares two stream ids (`ms-seq`). @internal */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}
