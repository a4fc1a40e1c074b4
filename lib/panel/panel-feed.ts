import type { FastifyRequest } from 'fastify';
import { Subscription, filter, share, type Observable } from 'rxjs';
import { latencyByRoute, type RouteLatency } from '../operators/latency-by-route';
import { rollingRequestStats, type RequestStats } from '../operators/rolling-request-stats';
import { summarizeRequests } from '../operators/summarize-requests';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  type GotRequestExceptionEvent,
  type RequestFinishedEvent,
  type RequestStartedEvent,
} from '../fastify/signals';
import { RequestNumbers, toLaneEvent, type LaneEvent } from './lane-event';
import type { ResolvedPanelOptions } from './options';
import { receiversSnapshot } from './receivers-snapshot';

/**
 * The request signals of one app (what `app.signals` offers).
 *
 * @example
 * new PanelFeed(app, app.signals, options, report); // app.signals is one
 */
export interface AppRequestStreams {
  readonly requestStarted$: Observable<RequestStartedEvent>;
  readonly gotRequestException$: Observable<GotRequestExceptionEvent>;
  readonly requestFinished$: Observable<RequestFinishedEvent>;
}

/** Lane events kept for pages that open later, and the most sent in one batch. */
const RECENT_LANE_EVENTS = 300;
const MAX_BATCH = 500;

/**
 * The panel's view of the signals while at least one page watches: lane events, per-route
 * latency and rolling throughput, turned into Server-Sent Events messages. It listens only
 * between `start()` and `stop()`, so with no page open the panel costs the app nothing (the
 * request signals do not even build their events).
 *
 * @example
 * const feed = new PanelFeed(app, streams, options, (error) => app.log.error(error));
 * feed.start();
 * client.write(feed.welcome());
 * setInterval(() => broadcast(feed.takeUpdate()), 250);
 * @internal
 */
export class PanelFeed {
  private subscription: Subscription | null = null;
  private numbers = new RequestNumbers();
  private pending: LaneEvent[] = [];
  private dropped = 0;
  private recent: LaneEvent[] = [];
  private readonly routes = new Map<string, RouteLatency>();
  private routesChanged = false;
  private stats: RequestStats | null = null;
  private statsChanged = false;
  private lastSignals = '';

  constructor(
    private readonly app: object,
    private readonly streams: AppRequestStreams,
    private readonly options: ResolvedPanelOptions,
    private readonly report: (error: unknown) => void,
  ) {}

  get listening(): boolean {
    return this.subscription !== null;
  }

  start(): void {
    if (this.subscription !== null) return;
    const subscription = (this.subscription = new Subscription());
    const streams = this.streams;
    // One subscription to this app's requestFinished for both its lane and the figures.
    const finished$ = streams.requestFinished$.pipe(share());
    for (const signal of this.options.signals) {
      // The request signals come from this app only; any other signal, from every sender.
      const events$: Observable<object> =
        signal === requestStarted
          ? streams.requestStarted$
          : signal === gotRequestException
            ? streams.gotRequestException$
            : signal === requestFinished
              ? finished$
              : signal.asObservable();
      subscription.add(
        events$.subscribe({
          next: (event) => this.guard(() => this.record(signal, event)),
          error: (error: unknown) => this.report(error),
        }),
      );
    }

    const summaries$ = finished$.pipe(
      filter((event) => !this.isOwn(event.request)),
      summarizeRequests(),
      share(),
    );
    subscription.add(
      summaries$.pipe(latencyByRoute({ maxRoutes: this.options.maxRoutes })).subscribe({
        next: (latency) => {
          this.routes.set(latency.route, latency);
          this.routesChanged = true;
        },
        error: (error: unknown) => this.report(error),
      }),
    );
    subscription.add(
      summaries$.pipe(rollingRequestStats({ windowMs: this.options.statsWindowMs })).subscribe({
        next: (stats) => {
          this.stats = stats;
          this.statsChanged = true;
        },
        error: (error: unknown) => this.report(error),
      }),
    );
  }

  /** Stops listening and forgets everything (the next `start()` begins afresh). */
  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.numbers = new RequestNumbers();
    this.pending = [];
    this.recent = [];
    this.dropped = 0;
    this.routes.clear();
    this.stats = null;
    this.routesChanged = this.statsChanged = false;
    this.lastSignals = '';
  }

  /** Everything a page that just connected needs to draw the current state. */
  welcome(): string {
    return (
      message('hello', { now: Date.now(), prefix: this.options.prefix, statsWindowMs: this.options.statsWindowMs }) +
      message('signals', receiversSnapshot(this.options.signals, this.app)) +
      message('lanes', { now: Date.now(), events: this.recent, dropped: 0 }) +
      message('routes', [...this.routes.values()]) +
      (this.stats === null ? '' : message('stats', this.stats))
    );
  }

  /** What changed since the last call, as SSE messages for every page ('' when nothing did). */
  takeUpdate(): string {
    let out = '';
    const signals = JSON.stringify(receiversSnapshot(this.options.signals, this.app));
    if (signals !== this.lastSignals) {
      this.lastSignals = signals;
      out += rawMessage('signals', signals);
    }
    if (this.pending.length > 0 || this.dropped > 0) {
      out += message('lanes', { now: Date.now(), events: this.pending, dropped: this.dropped });
      this.pending = [];
      this.dropped = 0;
    }
    if (this.routesChanged) {
      this.routesChanged = false;
      out += message('routes', [...this.routes.values()]);
    }
    if (this.statsChanged && this.stats !== null) {
      this.statsChanged = false;
      out += message('stats', this.stats);
    }
    return out;
  }

  private record(signal: { readonly name: string }, event: object): void {
    const request = (event as { request?: FastifyRequest }).request;
    if (request !== undefined && this.isOwn(request)) return;
    const lane = toLaneEvent(signal, event, Date.now(), this.numbers);
    if (this.pending.length < MAX_BATCH) this.pending.push(lane);
    else this.dropped++; // a burst beyond what a page can draw: counted, shown, not kept
    this.recent.push(lane);
    if (this.recent.length > RECENT_LANE_EVENTS * 2) this.recent = this.recent.slice(-RECENT_LANE_EVENTS);
  }

  /** The panel's own page and event stream are not traffic worth drawing. */
  private isOwn(request: FastifyRequest): boolean {
    const route = request.routeOptions.url;
    const prefix = this.options.prefix;
    return route !== undefined && (route === prefix || route.startsWith(`${prefix}/`));
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.report(error); // an observer of a signal must never throw into RxJS
    }
  }
}

/** One Server-Sent Events message. JSON never holds a raw newline, so one `data:` line suffices. */
function message(event: string, data: unknown): string {
  return rawMessage(event, JSON.stringify(data));
}

function rawMessage(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}
