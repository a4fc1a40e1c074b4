import type { Observable } from 'rxjs';
import { describeValue } from '../core/checks';

/**
 * One instance's figures, as the panels of a cluster relay them to each other: a few numbers
 * over a rolling window, never anything about one request.
 *
 * @example
 * { instanceId: 'web-1', at: 1732428000000, windowMs: 10000, requests: 250, perSecond: 25,
 *   errorRate: 0.02, p95Ms: 41.5, inFlight: 3 }
 */
export interface InstanceSummary {
  /** The publishing bridge's `instanceId`. */
  readonly instanceId: string;
  /** When the figures were taken, by the publishing instance's clock (milliseconds since the epoch). */
  readonly at: number;
  /** Width of the rolling window the figures cover, in milliseconds. */
  readonly windowMs: number;
  /** Requests that finished within the window. */
  readonly requests: number;
  /** Requests per second over the window. */
  readonly perSecond: number;
  /** Share of the window's requests that failed (errored, timeout, 5xx), 0 to 1. */
  readonly errorRate: number;
  /** 95th percentile latency over the window in milliseconds, `null` with no requests. */
  readonly p95Ms: number | null;
  /** Requests started and not yet finished when the figures were taken. */
  readonly inFlight: number;
}

/**
 * What `signalsPanel({ bridge })` needs from a cross-instance bridge (the Redis bridge of
 * `rx-signals/redis` is one): its instance id, a way to hand this instance's summary to the
 * others, and the summaries the others handed over. The panel publishes at a bounded rate
 * (`clusterIntervalMs`, once a second by default), never per request.
 *
 * - `publishSummary(summary)` must not wait and should not throw (the panel reports what it
 *   throws and carries on); at most once is enough: a lost summary is replaced by the next one.
 * - `summaries$` emits the summaries of the other instances as they arrive (its own too, if it
 *   likes: the panel uses its own figures for this instance). The panel checks every field of
 *   what arrives, as anyone on the same Redis may publish there, and subscribes only while a page
 *   is open.
 *
 * @example
 * // a bridge of one process, for tests: every panel on it sees every other
 * const others = new Subject<InstanceSummary>();
 * const bridge: ClusterBridge = {
 *   instanceId: 'web-1',
 *   publishSummary: (summary) => others.next(summary),
 *   summaries$: others.asObservable(),
 * };
 * await app.register(signalsPanel, { bridge });
 */
export interface ClusterBridge {
  readonly instanceId: string;
  /** Sends this instance's figures to the other instances; never waits. */
  publishSummary(summary: InstanceSummary): void;
  readonly summaries$: Observable<InstanceSummary>;
}

/** Ids longer than this are cut short: they are drawn on a page and may come from anyone. */
export const MAX_INSTANCE_ID_LENGTH = 64;

/**
 * Throws a `TypeError` unless `bridge` has the shape of a {@link ClusterBridge}.
 *
 * @example
 * requireClusterBridge(await redisBridge({ url })); // passes
 * requireClusterBridge({}); // TypeError: signalsPanel: options.bridge must be ...
 * @internal
 */
export function requireClusterBridge(bridge: unknown): asserts bridge is ClusterBridge {
  const candidate = bridge as Partial<ClusterBridge> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.instanceId !== 'string' ||
    candidate.instanceId === '' ||
    typeof candidate.publishSummary !== 'function' ||
    typeof (candidate.summaries$ as Partial<Observable<unknown>> | undefined)?.subscribe !== 'function'
  ) {
    throw new TypeError(
      `signalsPanel: options.bridge must be a cross-instance bridge ({ instanceId, publishSummary(summary), summaries$ }), ` +
        `got ${describeValue(bridge)}. Pass the bridge of rx-signals/redis: signalsPanel({ bridge: await redisBridge({ url }) }).`,
    );
  }
}

/**
 * Reads a summary that arrived from another instance: the {@link InstanceSummary} it holds, or
 * `null` when any field is missing or out of range. Only the known fields are copied, so
 * nothing else that arrived can reach a page; never throws, whatever `value` is.
 *
 * @example
 * readInstanceSummary(JSON.parse(payload)); // an InstanceSummary, or null
 * @internal
 */
export function readInstanceSummary(value: unknown): InstanceSummary | null {
  try {
    if (typeof value !== 'object' || value === null) return null;
    const { instanceId, at, windowMs, requests, perSecond, errorRate, p95Ms, inFlight } = value as Record<
      string,
      unknown
    >;
    if (typeof instanceId !== 'string' || instanceId === '') return null;
    if (!isCount(at) || !isCount(windowMs) || windowMs === 0 || !isCount(requests) || !isCount(inFlight)) return null;
    if (!isAmount(perSecond) || !isAmount(errorRate) || errorRate > 1) return null;
    if (p95Ms !== null && !isAmount(p95Ms)) return null;
    return {
      instanceId: instanceId.slice(0, MAX_INSTANCE_ID_LENGTH),
      at,
      windowMs,
      requests,
      perSecond,
      errorRate,
      p95Ms,
      inFlight,
    };
  } catch {
    return null; // a Proxy or a throwing getter: not a summary
  }
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
