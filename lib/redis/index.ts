/**
 * rx-signals/redis: signals across instances over Redis (node-redis 5). The only entry point
 * that loads a Redis client.
 *
 * @example
 * import { redisBridge } from 'rx-signals/redis';
 * const bridge = await redisBridge({ url: process.env.REDIS_URL });
 * bridge.broadcast(settingChanged);
 */
export { redisBridge, type RedisBridge, type BroadcastSignal } from './redis-bridge';
export type { RedisBridgeOptions, BroadcastOptions, ShareOptions, GroupOptions } from './options';
export { jsonCodec, type Codec } from './codec';
export { RemoteSender, isRemoteSender } from './remote-sender';
export type { Delivery } from './local-tap';
export type { GroupReceiver } from './group-member';
export type { BridgeGap, BridgeError } from './reports';
export type { BridgeRedisClient } from './connection';
export type { InstanceSummary } from '../panel/cluster';
