import type { FastifyRequest } from 'fastify';
import { Observable, ReplaySubject, type OperatorFunction } from 'rxjs';
import type { RequestLifecycleEvent } from '../fastify/signals';
import { isRequestFinished } from './request-events';

/**
 * The events of one request, in order: an Observable that completes right after the request's
 * `requestFinished` event. It replays what it already saw, so subscribing late (after a
 * `delay`, inside a `concatMap`) still sees the whole lifecycle.
 *
 * @example
 * events$.pipe(groupByRequest()).subscribe((request$) =>
 *   request$.pipe(toArray()).subscribe((events) => console.log(request$.request.id, events.length)));
 */
export interface RequestEvents extends Observable<RequestLifecycleEvent> {
  /** The request these events belong to. */
  readonly request: FastifyRequest;
}

/**
 * Correlates request events by request: emits one {@link RequestEvents} Observable per request,
 * on that request's first event, and feeds it that request's events until its `requestFinished`.
 *
 * Requests are matched by the identity of `event.request` through a `Map`, so one event costs
 * the same with one or ten thousand requests in flight. A request leaves the map when it
 * finishes; when the source completes or errors, or the result is unsubscribed, the requests
 * still open complete (or error) too, so nothing stays behind. Subscribed in the middle of a
 * request, its group starts with the events that are still to come.
 *
 * @example
 * // One structured log line per request, with the errors it raised.
 * merge(app.signals.requestStarted$, app.signals.gotRequestException$, app.signals.requestFinished$)
 *   .pipe(
 *     groupByRequest(),
 *     mergeMap((events$) => events$.pipe(toArray())),
 *   )
 *   .subscribe((events) => log.info({ signals: events.map((event) => event.signal.name) }));
 */
export function groupByRequest(): OperatorFunction<RequestLifecycleEvent, RequestEvents> {
  return (source) =>
    new Observable<RequestEvents>((subscriber) => {
      const open = new Map<FastifyRequest, ReplaySubject<RequestLifecycleEvent>>();
      const endAll = (end: (events: ReplaySubject<RequestLifecycleEvent>) => void) => {
        const groups = [...open.values()];
        open.clear();
        for (const events of groups) end(events);
      };

      const subscription = source.subscribe({
        next: (event) => {
          let events = open.get(event.request);
          if (events === undefined) {
            // A request has a handful of events (start, errors, finish): replaying them is cheap.
            events = new ReplaySubject<RequestLifecycleEvent>();
            open.set(event.request, events);
            subscriber.next(Object.assign(events.asObservable(), { request: event.request }));
          }
          events.next(event);
          if (isRequestFinished(event)) {
            open.delete(event.request);
            events.complete();
          }
        },
        error: (error: unknown) => {
          endAll((events) => events.error(error));
          subscriber.error(error);
        },
        complete: () => {
          endAll((events) => events.complete());
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        // No more events will come for the requests still open: tell their subscribers.
        endAll((events) => events.complete());
      };
    });
}
