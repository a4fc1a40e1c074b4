import {
  gotRequestException,
  requestFinished,
  requestStarted,
  type GotRequestExceptionEvent,
  type RequestFinishedEvent,
  type RequestLifecycleEvent,
  type RequestStartedEvent,
} from '../fastify/signals';

/**
 * True for an event of `requestStarted`. The request operators tell events apart by the signal
 * that sent them (identity), never by their shape, so extra args cannot confuse them. Like every
 * type guard here, it answers false for anything else (other events, null, primitives).
 *
 * @example
 * merge(app.signals.requestStarted$, app.signals.requestFinished$).pipe(filter(isRequestStarted));
 */
export function isRequestStarted(event: unknown): event is RequestStartedEvent {
  return signalOf(event) === requestStarted;
}

/**
 * True for an event of `gotRequestException`.
 *
 * @example
 * events$.pipe(filter(isRequestException), map(({ error }) => error.name));
 */
export function isRequestException(event: unknown): event is GotRequestExceptionEvent {
  return signalOf(event) === gotRequestException;
}

/**
 * True for an event of `requestFinished`: the last event of a request.
 *
 * @example
 * events$.pipe(filter(isRequestFinished), map(({ outcome }) => outcome));
 */
export function isRequestFinished(event: unknown): event is RequestFinishedEvent {
  return signalOf(event) === requestFinished;
}

/** The `signal` of an event, or undefined for what is not an object. */
function signalOf(event: unknown): unknown {
  return typeof event === 'object' && event !== null ? (event as Partial<RequestLifecycleEvent>).signal : undefined;
}
