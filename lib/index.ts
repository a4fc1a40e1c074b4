/**
 * rx-signals: Django's signal layer on RxJS, fed by a Fastify plugin.
 *
 * @example
 * import { Signal, receiver, pausable, receiverErrors, requestFinished } from 'rx-signals';
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
export { pausable, type PausableOptions, type PausableOperator } from './operators/pausable';
export { settingChanged, type SettingChangedArgs } from './setting-changed';
export {
  requestStarted,
  gotRequestException,
  requestFinished,
  templateRendered,
  type RequestOutcome,
  type RequestStartedArgs,
  type GotRequestExceptionArgs,
  type RequestFinishedArgs,
  type TemplateRenderedArgs,
  type RequestLifecycleEvent,
} from './fastify/signals';
