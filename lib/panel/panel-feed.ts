import type { FastifyRequest } from 'fastify';
import { Subscription } from 'rxjs';
import { receiverConnected, receiverDisconnected } from '../core/meta-signals';
import { gotRequestException, requestFinished, requestStarted, type RequestFinishedEvent } from '../fastify/signals';
import { isFailedRequest, type RequestSummary } from '../operators/summarize-requests';
import { RequestMarks, summarizeFinished, toLaneEvent } from './lane-event';
import type { PanelSignal } from './options';
import { MAX_BATCH, RECENT_LANE_EVENTS, type LaneEvent, type LanesMessage, type RouteView } from './protocol';
import { RequestFigures } from './request-figures';
import { RouteLatencies } from './route-latencies';
import { labelSignals } from './signal-labels';

/**
 * How often the request figures' clock is read: they count requests in 100 ms slots over a
 * window of seconds, so a time this stale files a request in the same or the previous slot, and
 * a request does not pay for a clock read (about 40 ns, more than the rest of its filing).
 */
const CLOCK_TICK_MS = 50;

/** The name of the panel's own receiver (not an identifier, so no app function shares it). */
export const PANEL_RECEIVER_NAME = 'rx-signals panel';

/**
 * How the feed connects its receiver: request signals through `app.signals.connect` (this app's
 * events only, disconnected on close), any other signal for every sender.
 *
 * @example
 * const connect: ConnectReceiver = (signal, receiver) =>
 *   signal === requestStarted ? app.signals.connect(signal, receiver) : signal.connect(receiver);
 */
export type ConnectReceiver = (signal: PanelSignal, receiver: (event: object) => void) => Subscription;

/**
 * What the panel watches of the app while someone needs it (an open page, or a cluster that
 * wants this instance's figures): a dot per event of the listed signals, per-route latency, and
 * the request figures. Its receiver (named {@link PANEL_RECEIVER_NAME}) is connected to every listed signal between
 * the first `acquire()` and the last release, so an unwatched panel costs the app nothing (the
 * request signals do not even build their events). The panel's own routes are left out.
 *
 * @example
 * const release = feed.acquire();
 * feed.takeLanes(); // { now, events, dropped }
 * release();
 * @internal
 */
export class PanelFeed {
  /** The panel's one receiver, on every listed signal: the page marks it as the panel's own. */
  readonly receiver: (event: object) => void;
  readonly marks = new RequestMarks();
  private holders = 0;
  /** Holders that are pages (see `acquire`). */
  private pages = 0;
  private subscription: Subscription | null = null;
  /** Each signal the receiver watches, with its page label and, if a page alone wants it, its connection. */
  private readonly connected = new Map<PanelSignal, { label: string; subscription: Subscription | null }>();
  private pending: LaneEvent[] = [];
  private dropped = 0;
  private recent: LaneEvent[] = [];
  private readonly routes: RouteLatencies;
  figures: RequestFigures;
  /** The time the request figures file finished requests under, updated every {@link CLOCK_TICK_MS}. */
  private clock = 0;
  private ticker: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: {
      readonly signals: () => readonly PanelSignal[];
      readonly connect: ConnectReceiver;
      readonly prefix: string;
      readonly maxRoutes: number;
      readonly statsWindowMs: number;
      readonly report: (error: unknown) => void;
    },
  ) {
    const feed = this;
    this.receiver = function panelReceiver(event: object): void {
      try {
        feed.record(event);
      } catch (error) {
        feed.options.report(error); // never throw into a send
      }
    };
    // A name no function of the app can have: the receivers table of another panel in the process leaves it out by name.
    Object.defineProperty(this.receiver, 'name', { value: PANEL_RECEIVER_NAME });
    this.figures = new RequestFigures(options.statsWindowMs);
    this.routes = new RouteLatencies(options.maxRoutes);
  }

  /**
   * Starts watching (if nobody did); the returned function stops once every holder released. A
   * page watches every listed signal; a holder that wants only the request figures (`'figures'`,
   * the cluster view) has the receiver connected to the request signals alone.
   */
  acquire(wants: 'page' | 'figures' = 'page'): () => void {
    const page = wants === 'page';
    if (this.holders++ === 0) {
      this.subscription = new Subscription();
      this.clock = Date.now();
      this.ticker = setInterval(() => (this.clock = Date.now()), CLOCK_TICK_MS).unref();
    }
    if (page) this.pages++;
    this.connectNew();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (page && --this.pages === 0) this.disconnectPageOnly();
      if (--this.holders === 0) this.stop();
    };
  }

  /**
   * Connects the receiver to listed signals it is not connected to yet (a signal created or
   * listed later). The meta-signals are left to the page session's connection watch, which
   * relays their events here (see {@link receiver}).
   */
  connectNew(): void {
    if (this.subscription === null) return;
    const signals = this.options.signals();
    let labels: Map<PanelSignal, string> | undefined;
    for (const signal of signals) {
      if (this.connected.has(signal)) continue;
      const request = signal === requestStarted || signal === requestFinished || signal === gotRequestException;
      if (!request && this.pages === 0) continue;
      labels ??= labelSignals(signals);
      // Noted before connecting: a signal that refuses is reported once, not at every update.
      const entry: { label: string; subscription: Subscription | null } = {
        label: labels.get(signal)!,
        subscription: null,
      };
      this.connected.set(signal, entry);
      if (signal === receiverConnected || signal === receiverDisconnected) continue; // relayed by the watch
      try {
        const subscription = this.options.connect(signal, this.receiver);
        if (!request) entry.subscription = subscription;
        this.subscription.add(subscription);
      } catch (error) {
        this.options.report(error);
      }
    }
  }

  /** The lane events since the last call, or null when there are none. */
  takeLanes(): LanesMessage | null {
    if (this.pending.length === 0 && this.dropped === 0) return null;
    const batch = { now: Date.now(), events: this.pending, dropped: this.dropped };
    this.pending = [];
    this.dropped = 0;
    return batch;
  }

  /** The recent lane events, for a page that just opened. */
  recentLanes(): LanesMessage {
    return { now: Date.now(), events: this.recent.slice(-RECENT_LANE_EVENTS), dropped: 0 };
  }

  /** Every tracked route when any changed since the last call (`all`: in any case), else null. */
  takeRoutes(all = false): RouteView[] | null {
    return this.routes.take(all);
  }

  /** True for a request of the panel's own routes (page, script, event stream...). */
  isOwnRoute(request: FastifyRequest): boolean {
    const route = this.marks.route(request);
    const prefix = this.options.prefix;
    return route === prefix || (route.startsWith(prefix) && route.charCodeAt(prefix.length) === 47); // '/'
  }

  /** The last page went: only the request signals stay connected (for the cluster view). */
  private disconnectPageOnly(): void {
    for (const [signal, { subscription }] of this.connected) {
      const request = signal === requestStarted || signal === requestFinished || signal === gotRequestException;
      if (request) continue;
      this.connected.delete(signal);
      if (subscription !== null) {
        this.subscription?.remove(subscription);
        subscription.unsubscribe();
      }
    }
  }

  /** Stops listening and forgets everything (the next start begins afresh). */
  private stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    clearInterval(this.ticker!);
    this.ticker = null;
    this.connected.clear();
    this.pending = [];
    this.recent = [];
    this.dropped = 0;
    this.routes.clear();
    this.figures = new RequestFigures(this.options.statsWindowMs);
  }

  private record(event: object): void {
    const { signal, request } = event as { signal: PanelSignal; request?: FastifyRequest };
    if (request !== undefined && this.isOwnRoute(request)) return;
    let summary: RequestSummary | undefined;
    if (signal === requestStarted) this.figures.started();
    else if (signal === requestFinished) {
      summary = summarizeFinished(event as RequestFinishedEvent, this.marks.route(request!));
      const { method, route, statusCode, elapsedMs } = summary;
      const failed = isFailedRequest(summary);
      this.figures.finished(elapsedMs, statusCode, failed, this.clock);
      this.routes.record(method, route, elapsedMs, failed);
    }
    if (this.pending.length < MAX_BATCH) {
      const now = Date.now(); // the clock is read only for the events drawn: a dot's time must be exact
      const label = this.connected.get(signal)?.label ?? signal.name; // looked up only for events drawn
      const lane = toLaneEvent(signal, label, event, now, this.marks, summary);
      this.pending.push(lane);
      this.recent.push(lane);
      if (this.recent.length > RECENT_LANE_EVENTS * 2) this.recent = this.recent.slice(-RECENT_LANE_EVENTS);
    } else {
      this.dropped++; // a burst beyond what a page can draw: counted, shown, never built
    }
  }
}
