/**
 * rx-signals/testing: the test toolkit. Only tests import it (it loads `rxjs/testing`), never
 * production code.
 *
 * @example
 * import { testClient, connectedTo, muted, recordSignals, overrideSettings, captureTemplates } from 'rx-signals/testing';
 */
export { connectedTo } from './connected-to';
export { muted, type MutableSignal, type MutedOptions } from './muted';
export { pausedDuring, type PauseSwitch } from './paused-during';
export {
  recordSignals,
  byRequest,
  type RecordableSignal,
  type RecordedEvent,
  type RecordOptions,
  type MarbleOptions,
  type SignalRecording,
} from './record-signals';
export { BUILT_IN_LETTERS } from './marble-alphabet';
export { overrideSettings } from './override-settings';
export { captureTemplates, type CapturedTemplates, type CaptureTemplatesOptions } from './capture-templates';
export { testScheduler, sendMarbles, deliveries, type SendMarblesOptions } from './virtual-time';
export { testClient } from './test-client';
export type {
  TestClient,
  TestClientOptions,
  TestRequestOptions,
  TestInjectOptions,
  TestResponse,
} from './client/types';
export type { TestResponseFields } from './client/response-fields';
export type { ClientEvent, TemplateRenderedEvent } from './client/client-request';
export type { TestHeaders } from './client/options';
export type { ReceiverSelector } from './internal/receiver-selectors';
