import type { Subscription } from 'rxjs';
import { readInstanceSummary, type ClusterBridge, type InstanceSummary } from './cluster';
import { INSTANCE_FORGET_MS, MAX_INSTANCES, type InstanceView } from './protocol';
import type { RequestFigures } from './request-figures';

/**
 * The panel's side of a cluster: publishes this instance's figures through the bridge every
 * `intervalMs` (from `start()` until `stop()`, whether or not a page is open here, since pages
 * elsewhere may watch), and, while a page is open here (`watch()`), collects the summaries of
 * the other instances. Publishing is a timer, never a reaction to a request: the rate is bounded
 * whatever the traffic. What arrives is checked field by field (`readInstanceSummary`); at most
 * {@link MAX_INSTANCES} instances are kept, and one silent for {@link INSTANCE_FORGET_MS} is
 * dropped.
 *
 * @example
 * const cluster = new ClusterView(bridge, () => feed.figures, 1000, report);
 * cluster.start();
 * const unwatch = cluster.watch();
 * cluster.instances(Date.now()); // [{ instanceId: 'web-1', self: true, ... }, ...]
 * @internal
 */
export class ClusterView {
  private timer: NodeJS.Timeout | null = null;
  private readonly others = new Map<string, { summary: InstanceSummary; receivedAt: number }>();
  private watching: Subscription | null = null;

  constructor(
    private readonly bridge: ClusterBridge,
    private readonly figures: () => RequestFigures,
    private readonly intervalMs: number,
    private readonly report: (error: unknown) => void,
  ) {}

  get instanceId(): string {
    return this.bridge.instanceId;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.publish(), this.intervalMs).unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.unwatch();
  }

  /** Collects the other instances' summaries until `unwatch()`. */
  watch(): void {
    if (this.watching !== null) return;
    try {
      this.watching = this.bridge.summaries$.subscribe({
        next: (value) => this.receive(value),
        error: (error: unknown) => this.report(error),
      });
    } catch (error) {
      this.report(error);
    }
  }

  unwatch(): void {
    this.watching?.unsubscribe();
    this.watching = null;
    this.others.clear();
  }

  /** This instance's summary now. */
  summary(now: number): InstanceSummary {
    const { windowMs, requests, perSecond, errorRate, p95Ms, inFlight } = this.figures().snapshot(now);
    return { instanceId: this.bridge.instanceId, at: now, windowMs, requests, perSecond, errorRate, p95Ms, inFlight };
  }

  /** Every instance heard from, this one first, then by id. */
  instances(now: number): InstanceView[] {
    const views: InstanceView[] = [toView(this.summary(now), true, 0)];
    for (const [id, { summary, receivedAt }] of this.others) {
      if (now - receivedAt > INSTANCE_FORGET_MS) this.others.delete(id);
      else views.push(toView(summary, false, now - receivedAt));
    }
    return views.sort((a, b) => (a.self ? -1 : b.self ? 1 : a.instanceId < b.instanceId ? -1 : 1));
  }

  private publish(): void {
    try {
      const result: unknown = this.bridge.publishSummary(this.summary(Date.now()));
      // A bridge that returns a Promise must not turn its failure into an unhandled rejection.
      if (result instanceof Promise) result.catch((error: unknown) => this.report(error));
    } catch (error) {
      this.report(error);
    }
  }

  private receive(value: unknown): void {
    const summary = readInstanceSummary(value);
    if (summary === null || summary.instanceId === this.bridge.instanceId) return;
    if (!this.others.has(summary.instanceId) && this.others.size >= MAX_INSTANCES) return;
    this.others.set(summary.instanceId, { summary, receivedAt: Date.now() });
  }
}

function toView(summary: InstanceSummary, self: boolean, lastSeenMs: number): InstanceView {
  const { instanceId, perSecond, errorRate, p95Ms, inFlight } = summary;
  return { instanceId, self, lastSeenMs, perSecond, errorRate, p95Ms, inFlight };
}
