/**
 * The Fastify layer: the request signals and the plugin that feeds them.
 */
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
} from './signals';
export {
  signalsPlugin,
  StartTimeoutError,
  StartFailureError,
  type SignalsPluginOptions,
  type AppSignals,
} from './plugin';
