import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Observable, ReplaySubject, Subject, Subscription } from 'rxjs';
import { describeValue } from '../core/checks';
import type { RequestLifecycle } from './request-lifecycle';
import type { RequestState } from './request-state';
import { gotRequestException, requestFinished, requestStarted, type RequestLifecycleEvent } from './signals';

/**
 * How many of its latest events a request's stream replays to a late subscriber.
 *
 * @example
 * // A request that sent 150 exceptions replays its last 100 events to a new subscriber.
 * app.signals.eventsOf(request).pipe(take(REPLAYED_EVENTS_PER_REQUEST));
 */
export const REPLAYED_EVENTS_PER_REQUEST = 100;

/**
 * Per-request event streams of one app: `eventsOf(request)` and `requests$`.
 *
 * Indexed by request, never filtered: while anyone subscribes to a per-request stream, three
 * receivers (bound to the app) take each request event and hand it to the recording kept in that
 * request's state, so one event costs the same with one or ten thousand requests in flight.
 * Nothing is recorded while nobody subscribes (the receivers are disconnected then), and a
 * request's recording is dropped when it finishes.
 *
 * @example
 * const streams = new RequestStreams(app, lifecycle);
 * streams.requests$.pipe(mergeMap((events$) => events$.pipe(toArray()))).subscribe(console.log);
 * @internal
 */
export class RequestStreams {
  /** Emits each request's stream at its `requestStarted`. */
  readonly requests$: Observable<Observable<RequestLifecycleEvent>>;
  private readonly started = new Subject<Observable<RequestLifecycleEvent>>();
  /** Requests with a recording (their events are being kept until they finish). */
  private readonly recorded = new Set<RequestState>();
  /** Subscriptions to `requests$` and to per-request streams: the receivers are connected while > 0. */
  private users = 0;
  private forwarding: Subscription | null = null;
  private closed = false;

  constructor(
    private readonly app: FastifyInstance,
    private readonly lifecycle: RequestLifecycle,
  ) {
    this.requests$ = new Observable((subscriber) => {
      if (this.closed) return subscriber.complete();
      this.use();
      const subscription = this.started.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        this.release();
      };
    });
  }

  /**
   * The events of one request, in order, completing right after its `requestFinished`: those
   * recorded since per-request streaming began (so a stream from `requests$` starts with its
   * `requestStarted`), then the rest as they are sent. Completes at once for a request that
   * finished, or that is not one of this app's.
   */
  eventsOf(request: FastifyRequest): Observable<RequestLifecycleEvent> {
    if (typeof request !== 'object' || request === null || typeof (request as { raw?: unknown }).raw !== 'object') {
      throw new TypeError(
        `app.signals.eventsOf(request): request must be a Fastify request (a handler's first argument, ` +
          `or event.request), got ${describeValue(request)}.`,
      );
    }
    return this.streamOf(request);
  }

  /** Completes every stream and disconnects the receivers (the app closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.started.complete();
    for (const state of [...this.recorded]) this.stopRecording(state)?.complete();
    this.disconnect();
  }

  private streamOf(request: FastifyRequest): Observable<RequestLifecycleEvent> {
    return new Observable<RequestLifecycleEvent>((subscriber) => {
      if (this.closed) return subscriber.complete();
      // Connect the receivers first: following the request may start now (see follow()).
      this.use();
      const state = this.lifecycle.follow(request);
      if (state === undefined || state.finished) {
        subscriber.complete();
        this.release();
        return;
      }
      const subscription = this.recordingOf(state).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        this.release();
      };
    });
  }

  private recordingOf(state: RequestState): ReplaySubject<RequestLifecycleEvent> {
    if (state.events === null) {
      // A request has a handful of events (start, exceptions, finish): replaying them is cheap.
      // The bound keeps a long-lived request that keeps failing from growing without limit.
      state.events = new ReplaySubject<RequestLifecycleEvent>(REPLAYED_EVENTS_PER_REQUEST);
      this.recorded.add(state);
    }
    return state.events;
  }

  private stopRecording(state: RequestState): ReplaySubject<RequestLifecycleEvent> | null {
    const events = state.events;
    state.events = null;
    this.recorded.delete(state);
    return events;
  }

  // Named for `signal.receivers()` (debugging, the panel): they show as app.signals.requests$.
  private readonly onStarted = named('app.signals.requests$', (event: RequestLifecycleEvent): void => {
    const state = this.lifecycle.stateOf(event.request);
    if (state === undefined || state.finished) return;
    this.recordingOf(state).next(event);
    if (this.started.observed) this.started.next(this.streamOf(event.request));
  });

  private readonly onException = named('app.signals.requests$', (event: RequestLifecycleEvent): void => {
    this.lifecycle.stateOf(event.request)?.events?.next(event);
  });

  private readonly onFinished = named('app.signals.requests$', (event: RequestLifecycleEvent): void => {
    const state = this.lifecycle.stateOf(event.request);
    if (state === undefined) return;
    const events = this.stopRecording(state);
    events?.next(event);
    events?.complete();
  });

  private use(): void {
    if (this.users++ > 0 || this.forwarding !== null) return;
    const sender = { sender: this.app };
    const forwarding = new Subscription();
    forwarding.add(requestStarted.connect(this.onStarted, sender));
    forwarding.add(gotRequestException.connect(this.onException, sender));
    forwarding.add(requestFinished.connect(this.onFinished, sender));
    this.forwarding = forwarding;
  }

  private release(): void {
    if (--this.users > 0) return;
    this.users = 0;
    // Nobody subscribes to a recording any more: drop them; what follows is not recorded.
    for (const state of [...this.recorded]) this.stopRecording(state);
    this.disconnect();
  }

  private disconnect(): void {
    this.forwarding?.unsubscribe();
    this.forwarding = null;
  }
}

/** Gives a function a name. */
function named<F extends Function>(name: string, fn: F): F {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}
