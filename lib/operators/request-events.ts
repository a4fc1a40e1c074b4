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
 * that sent them (identity), never by their shape, so extra args cannot confuse them.
 *
 * @example
 * merge(app.signals.requestStarted$, app.signals.requestFinished$).pipe(filter(isRequestStarted));
 */
export function isRequestStarted(event: RequestLifecycleEvent): event is RequestStartedEvent {
  return event.signal === requestStarted;
}

/**
 * True for an event of `gotRequestException`.
 *
 * @example
 * events$.pipe(filter(isRequestException), map(({ error }) => error.name));
 */
export function isRequestException(event: RequestLifecycleEvent): event is GotRequestExceptionEvent {
  return event.signal === gotRequestException;
}

/**
 * True for an event of `requestFinished`: the last event of a request.
 *
 * @example
 * events$.pipe(filter(isRequestFinished), map(({ outcome }) => outcome));
 */
export function isRequestFinished(event: RequestLifecycleEvent): event is RequestFinishedEvent {
  return event.signal === requestFinished;
}
