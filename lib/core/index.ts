/**
 * The core: `Signal` and what it is made of. It knows nothing of Fastify.
 */
export { Signal } from './signal';
export type {
  SignalArgs,
  SignalEvent,
  Receiver,
  ReceiverInfo,
  EventOperator,
  ConnectOptions,
  DisconnectOptions,
  SendArgs,
  SendResult,
  SendResults,
  AnySignal,
  ReceiversOptions,
  ReceiverChangeArgs,
} from './types';
export { namedSignal } from './named-signal';
export { listSignals } from './signal-list';
export { receiverConnected, receiverDisconnected } from './meta-signals';
export { receiver } from './receiver';
export { receiverErrors, type ReceiverError } from './receiver-errors';
export { pausable, type PausableOptions, type PausableOperator } from './pausable';
export { settingChanged, type SettingChangedArgs } from './setting-changed';
export {
  profileReceivers,
  type ReceiverProfiler,
  type ReceiverProfile,
  type ProfileReceiversOptions,
} from './profiler';
export { SEND_CHANNEL, RECEIVER_CHANNEL, type SendMessage, type ReceiverTraceContext } from './tracing';
