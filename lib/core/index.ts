/**
 * The core: `Signal` and what it is made of. It knows nothing of Fastify.
 */
export {
  Signal,
  type SignalArgs,
  type SignalEvent,
  type Receiver,
  type ReceiverInfo,
  type EventOperator,
  type ConnectOptions,
  type DisconnectOptions,
  type SendArgs,
  type SendResult,
  type SendResults,
} from './signal';
export { receiver } from './receiver';
export { receiverErrors, type ReceiverError } from './receiver-errors';
export { pausable, type PausableOptions, type PausableOperator } from './pausable';
export { settingChanged, type SettingChangedArgs } from './setting-changed';
