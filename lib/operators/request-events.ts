import type { FastifyInstance } from 'fastify';
import type { SignalEvent } from '../signal';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  type GotRequestExceptionArgs,
  type RequestLifecycleEvent,
  type RequestFinishedArgs,
  type RequestStartedArgs,
} from '../fastify/signals';

/**
 * An event of `requestStarted`.
 *
 * @example
 * app.signals.requestStarted$.subscribe((event: RequestStartedEvent) => event.request.log.info('started'));
 */
export type RequestStartedEvent = SignalEvent<RequestStartedArgs, FastifyInstance>;

/**
 * An event of `gotRequestException`.
 *
 * @example
 * app.signals.gotRequestException$.subscribe(({ error }: GotRequestExceptionEvent) => tracker.capture(error));
 */
export type GotRequestExceptionEvent = SignalEvent<GotRequestExceptionArgs, FastifyInstance>;

/**
 * An event of `requestFinished`.
 *
 * @example
 * app.signals.requestFinished$.subscribe(({ outcome, elapsedMs }: RequestFinishedEvent) => metrics.observe(outcome, elapsedMs));
 */
export type RequestFinishedEvent = SignalEvent<RequestFinishedArgs, FastifyInstance>;

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
