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
  type RequestStartedEvent,
  type GotRequestExceptionEvent,
  type RequestFinishedEvent,
} from './fastify/signals';
// The Fastify plugin that feeds the request signals (and types app.signals).
export { signalsPlugin, StartTimeoutError, type SignalsPluginOptions, type AppSignals } from './fastify/plugin';
// Request-event pipelines (operators over the request signals).
export { isRequestStarted, isRequestException, isRequestFinished } from './operators/request-events';
export { groupByRequest, type RequestEvents } from './operators/group-by-request';
export {
  summarizeRequests,
  summarizeRequest,
  isFailedRequest,
  UNMATCHED_ROUTE,
  type RequestSummary,
} from './operators/summarize-requests';
export { slowerThan } from './operators/slower-than';
export {
  rollingRequestStats,
  type RollingRequestStatsOptions,
  type RequestStats,
} from './operators/rolling-request-stats';
export { groupByRoute, routeKey, OTHER_ROUTES, type GroupByRouteOptions } from './operators/group-by-route';
export { latencyByRoute, type LatencyByRouteOptions, type RouteLatency } from './operators/latency-by-route';
// The live signals panel (a Fastify plugin).
export { signalsPanel } from './fastify/panel/plugin';
export { BUILT_IN_SIGNALS, type SignalsPanelOptions, type PanelSignal, type PanelRequestGuard } from './fastify/panel/options';
