import type { FastifyRequest } from 'fastify';
import type { Subscription } from 'rxjs';
import { startReceiverProfiler, type ReceiverProfile, type ReceiverProfiler } from '../core/profiler';
import { receiverErrors } from '../core/receiver-errors';
import { ClusterView } from './cluster-view';
import type { ConnectionWatch } from './connection-watch';
import { listConnections } from './connections';
import { toErrorView } from './error-view';
import { sseMessage } from './messages';
import { listedSignals, type ResolvedPanelOptions } from './options';
import { PANEL_RECEIVER_NAME, type PanelFeed } from './panel-feed';
import { MAX_ERRORS, type ErrorView, type ReceiverRow, type TimelineView } from './protocol';
import { MAX_TIMELINES_PER_SECOND, Timelines } from './timelines';

/**
 * What the panel does only while at least one page is open: it holds the feed, records request
 * timelines, keeps the latest receiver errors, watches connections being made and ended (the
 * meta-signals), listens to the other instances, and turns it all into the messages of
 * `./protocol` for the pages. Created when the first page opens, `close()`d when the last one goes.
 *
 * @example
 * const session = new PageSession(feed, options, app, cluster, watch);
 * clients.open(reply, session.welcome());
 * setInterval(() => clients.broadcast(session.update()), options.updateIntervalMs);
 * session.close();
 * @internal
 */
export class PageSession {
  private readonly release: () => void;
  private readonly timelines: Timelines;
  private readonly errorSubscription: Subscription;
  private readonly profiler: ReceiverProfiler;
  private errors: ErrorView[] = [];
  private errorsChanged = false;
  private lastSignals = '';
  private lastSlowUpdate = 0;
  private readonly own: ReadonlySet<Function>;

  constructor(
    private readonly feed: PanelFeed,
    private readonly options: ResolvedPanelOptions,
    private readonly app: { readonly server?: unknown },
    private readonly cluster: ClusterView | null,
    private readonly watch: ConnectionWatch,
  ) {
    this.own = new Set([feed.receiver, watch.receiver]);
    this.release = feed.acquire();
    this.timelines = new Timelines({
      keep: options.timelineRequests,
      perSecond: MAX_TIMELINES_PER_SECOND,
      marks: feed.marks,
      isOurs: (sender, request) =>
        (sender as { server?: unknown } | null)?.server === app.server && !feed.isOwnRoute(request as FastifyRequest),
      own: this.own,
    });
    this.timelines.start();
    // The panel's own receivers are not profiled: not listed, and their calls stay direct.
    this.profiler = startReceiverProfiler(options.signals ? new Set(options.signals) : null, { ignored: this.own });
    this.errorSubscription = receiverErrors.subscribe((report) => {
      this.errors.unshift(toErrorView(report, Date.now(), options.errorMessages));
      if (this.errors.length > MAX_ERRORS) this.errors.length = MAX_ERRORS;
      this.errorsChanged = true;
    });
    cluster?.watch();
    watch.start();
  }

  /** Everything a page that just connected needs to draw the current state. */
  welcome(): string {
    const now = Date.now();
    return (
      sseMessage('hello', {
        now,
        statsWindowMs: this.options.statsWindowMs,
        timelineRequests: this.options.timelineRequests,
        errorMessages: this.options.errorMessages,
        instanceId: this.cluster?.instanceId ?? null,
      }) +
      sseMessage('signals', this.connections()) +
      sseMessage('lanes', this.feed.recentLanes()) +
      sseMessage('routes', this.feed.takeRoutes(true) ?? []) +
      sseMessage('stats', this.feed.figures.snapshot(now)) +
      sseMessage('errors', this.errors) +
      sseMessage('receivers', this.receivers()) +
      (this.cluster === null ? '' : sseMessage('cluster', this.cluster.instances(now)))
    );
  }

  /**
   * What changed since the last call, as messages for every page ('' when nothing did). Lanes
   * and routes go out at every update; the figures, connections, errors and instances at most
   * once per `slowEveryMs`.
   */
  update(slowEveryMs: number): string {
    let out = '';
    const lanes = this.feed.takeLanes();
    if (lanes !== null) out += sseMessage('lanes', lanes);
    const routes = this.feed.takeRoutes();
    if (routes !== null) out += sseMessage('routes', routes);
    const now = Date.now();
    if (now - this.lastSlowUpdate >= slowEveryMs) {
      this.lastSlowUpdate = now;
      this.feed.connectNew(); // signals created since: a creation sends no meta-signal
      out += this.connectionsUpdate();
      out += sseMessage('stats', this.feed.figures.snapshot(now));
      out += sseMessage('receivers', this.receivers());
      if (this.cluster !== null) out += sseMessage('cluster', this.cluster.instances(now));
    }
    if (this.errorsChanged) {
      this.errorsChanged = false;
      out += sseMessage('errors', this.errors);
    }
    return out;
  }

  /** The connection list as a message when it changed since the last one sent, else ''. */
  connectionsUpdate(): string {
    const signals = JSON.stringify(this.connections());
    if (signals === this.lastSignals) return '';
    this.lastSignals = signals;
    return `event: signals\ndata: ${signals}\n\n`;
  }

  /** Request `number`'s timeline, if it is among the latest kept. */
  timeline(number: number): TimelineView | undefined {
    return this.timelines.get(number);
  }

  close(): void {
    this.watch.stop();
    this.profiler.stop();
    this.timelines.stop();
    this.errorSubscription.unsubscribe();
    this.cluster?.unwatch();
    this.release();
  }

  /** The app's receivers (not the panel's own), slowest first: by p95, then by total time. */
  private receivers(): ReceiverRow[] {
    return this.profiler
      .snapshot()
      .filter((profile) => profile.receiver !== PANEL_RECEIVER_NAME) // another panel's, in an app of several
      .sort((a, b) => b.p95Ms - a.p95Ms || b.totalMs - a.totalMs)
      .map(toRow);
  }

  private connections() {
    return listConnections(listedSignals(this.options), this.app, this.own);
  }
}

function toRow({
  signal,
  receiver,
  calls,
  errors,
  totalMs,
  p50Ms,
  p95Ms,
  maxMs,
  paused,
}: ReceiverProfile): ReceiverRow {
  return { signal, receiver, calls, errors, totalMs, p50Ms, p95Ms, maxMs, paused };
}
