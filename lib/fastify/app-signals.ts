import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { requireOptionsObject, requireSignal } from '../core/checks';
import type { ConnectOptions, Receiver, Signal, SignalArgs, SignalEvent } from '../core/signal';
import type { RequestLifecycle } from './request-lifecycle';
import type { RequestStreams } from './request-streams';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  type GotRequestExceptionArgs,
  type RequestFinishedArgs,
  type RequestLifecycleEvent,
  type RequestStartedArgs,
} from './signals';

/**
 * `app.signals`: the signals of one Fastify app (the instance `signalsPlugin` was registered on),
 * all tied to its life: streams complete and receivers are disconnected when the app closes,
 * after which nothing of the app stays reachable from the global signals.
 *
 * Its streams are plain RxJS Observables: an observer that throws follows RxJS's rules (its
 * error is rethrown asynchronously). Use `connect` for receivers whose errors must be contained.
 *
 * @example
 * app.signals.requestFinished$.pipe(filter(({ outcome }) => outcome !== 'completed')).subscribe(alert);
 * app.signals.connect(requestStarted, ({ request }) => request.log.info('started'));
 * app.get('/report', async (request) => {
 *   app.signals.eventsOf(request).subscribe({ complete: () => releaseReportSlot() });
 *   return buildReport();
 * });
 */
export class AppSignals {
  /** `requestStarted` events of this app. Completes when the app closes. */
  readonly requestStarted$: Observable<SignalEvent<RequestStartedArgs, FastifyInstance>>;
  /** `gotRequestException` events of this app. Completes when the app closes. */
  readonly gotRequestException$: Observable<SignalEvent<GotRequestExceptionArgs, FastifyInstance>>;
  /** `requestFinished` events of this app. Completes when the app closes. */
  readonly requestFinished$: Observable<SignalEvent<RequestFinishedArgs, FastifyInstance>>;
  /**
   * At each `requestStarted`, the stream of that request (see {@link eventsOf}), which starts
   * with that `requestStarted`. Completes when the app closes.
   */
  readonly requests$: Observable<Observable<RequestLifecycleEvent>>;

  /** Connections made through `connect` and subscribers of the streams above, ended at close. */
  private readonly connections = new Set<Subscription>();
  private readonly subscribers = new Set<Subscriber<unknown>>();
  private closed = false;

  /** Made by `signalsPlugin` only. @internal */
  constructor(
    private readonly app: FastifyInstance,
    private readonly streams: RequestStreams,
    /** How this app's requests are followed (its in-flight count: the tests and the panel). @internal */
    readonly lifecycle: RequestLifecycle,
  ) {
    this.requestStarted$ = this.eventsOfSignal(requestStarted, 'app.signals.requestStarted$');
    this.gotRequestException$ = this.eventsOfSignal(gotRequestException, 'app.signals.gotRequestException$');
    this.requestFinished$ = this.eventsOfSignal(requestFinished, 'app.signals.requestFinished$');
    this.requests$ = streams.requests$;
  }

  /**
   * Connects `receiver` to `signal` like `signal.connect`, with `options.sender` defaulting to
   * this app, and disconnects it when the app closes. Throws once the app is closed.
   *
   * @example
   * const subscription = app.signals.connect(requestFinished, closeStaleConnections, { dispatchUid: 'db' });
   * subscription.unsubscribe(); // or leave it: app.close() disconnects it
   */
  connect<Args extends SignalArgs, Sender>(
    signal: Signal<Args, Sender>,
    receiver: Receiver<Args, Sender>,
    options?: ConnectOptions<Args, Sender>,
  ): Subscription {
    requireSignal(
      'app.signals.connect(signal, receiver)',
      'signal',
      signal,
      'For example app.signals.connect(requestFinished, receiver).',
    );
    requireOptionsObject('app.signals.connect()', options);
    if (this.closed) {
      throw new Error(
        `app.signals.connect(${signal.name}): the app is closed, so the receiver would never be disconnected. ` +
          'Connect before app.close(), or use signal.connect() for a receiver that outlives the app.',
      );
    }
    const sender = options?.sender === undefined ? (this.app as Sender) : options.sender;
    const subscription = signal.connect(receiver, { ...options, sender });
    // Connecting again with the same receiver returns the same Subscription: track it once.
    if (!this.connections.has(subscription) && !subscription.closed) {
      this.connections.add(subscription);
      subscription.add(() => this.connections.delete(subscription));
    }
    return subscription;
  }

  /**
   * Every event of one request, in order, completing right after its `requestFinished`.
   *
   * Nothing is recorded while nobody subscribes to a per-request stream (payloads are built
   * only for listeners): a subscription sees the request's events from when per-request
   * streaming began, or from now. So subscribe to `requests$` before requests start to see
   * every one from its `requestStarted`; a handler that subscribes for its own request sees
   * its exceptions and its finish. Subscribing after the request finished completes at once.
   *
   * @example
   * app.get('/upload', async (request) => {
   *   app.signals.eventsOf(request).pipe(last()).subscribe((finished) => {
   *     if ('outcome' in finished && finished.outcome !== 'completed') removePartialUpload(request.id);
   *   });
   *   return storeUpload(request);
   * });
   */
  eventsOf(request: FastifyRequest): Observable<RequestLifecycleEvent> {
    return this.streams.eventsOf(request);
  }

  /** Completes the streams and disconnects every receiver of this face. @internal */
  close(): void {
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    for (const subscription of [...this.connections]) subscription.unsubscribe();
  }

  /** The events of `signal` sent by this app: one receiver bound to the app per subscriber. */
  private eventsOfSignal<Args extends SignalArgs>(
    signal: Signal<Args, FastifyInstance>,
    name: string,
  ): Observable<SignalEvent<Args, FastifyInstance>> {
    return new Observable<SignalEvent<Args, FastifyInstance>>((subscriber) => {
      if (this.closed) return subscriber.complete();
      const forward = (event: SignalEvent<Args, FastifyInstance>) => subscriber.next(event);
      Object.defineProperty(forward, 'name', { value: name });
      const connection = signal.connect(forward, { sender: this.app });
      this.subscribers.add(subscriber);
      return () => {
        this.subscribers.delete(subscriber);
        connection.unsubscribe();
      };
    });
  }
}
