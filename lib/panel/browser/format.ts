import { LATENCY_BUCKETS_MS, type LaneEvent } from '../protocol';

/**
 * A duration for the page, always with its unit: `0.42 ms`, `3.1 ms`, `41 ms`, `1.2 s`.
 *
 * @example
 * formatMs(3.14159); // '3.1 ms'
 */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value < 1) return `${value.toFixed(2)} ms`;
  if (value < 10) return `${value.toFixed(1)} ms`;
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

/**
 * A share (0 to 1) as a percentage with one decimal.
 *
 * @example
 * formatPercent(0.0421); // '4.2 %'
 */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** Durations below this sit at the left edge of a log-scale bar. */
const LOG_FLOOR_MS = 0.1;

/**
 * Where `ms` falls on a log scale from 0.1 ms to `maxMs`, as a share of the width (0 to 1):
 * a 1 ms receiver and a 300 ms one both stay readable side by side.
 *
 * @example
 * logShare(10, 1000); // 0.5 (0.1 → 10 is half of 0.1 → 1000 in decades)
 */
export function logShare(ms: number, maxMs: number): number {
  if (!(ms > LOG_FLOOR_MS)) return 0;
  const top = Math.max(maxMs, LOG_FLOOR_MS * 10);
  return Math.min(1, Math.log10(ms / LOG_FLOOR_MS) / Math.log10(top / LOG_FLOOR_MS));
}

/**
 * The label of histogram bucket `index` ({@link LATENCY_BUCKETS_MS} bounds).
 *
 * @example
 * bucketLabel(0); // '≤ 1 ms'
 * bucketLabel(LATENCY_BUCKETS_MS.length); // '> 10 s'
 */
export function bucketLabel(index: number): string {
  const bound = LATENCY_BUCKETS_MS[index];
  if (bound === undefined) return `> ${formatBound(LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1])}`;
  return `≤ ${formatBound(bound)}`;
}

function formatBound(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The colour class of a dot. */
export type EventKind = 'started' | 'completed' | 'failing' | 'aborted' | 'other';

/**
 * How a lane event is drawn: failing first, then started, aborted, completed, or other signals.
 *
 * @example
 * kindOf({ signal: 'requestFinished', at: 0, outcome: 'completed' }); // 'completed'
 */
export function kindOf(event: LaneEvent): EventKind {
  if (event.failing) return 'failing';
  if (event.signal === 'requestStarted') return 'started';
  if (event.outcome === 'aborted') return 'aborted';
  if (event.outcome) return 'completed';
  return 'other';
}

/**
 * A dot's tooltip: what fired, for which request, how it ended.
 *
 * @example
 * describeEvent({ signal: 'requestFinished', at: 0, request: 7, method: 'GET', route: '/ok', statusCode: 200, outcome: 'completed', elapsedMs: 2 });
 * // 'requestFinished · GET /ok · 200 · completed · 2.0 ms · request #7'
 */
export function describeEvent(event: LaneEvent): string {
  const parts = [event.signal];
  if (event.method !== undefined) parts.push(`${event.method} ${event.route ?? ''}`);
  if (event.statusCode !== undefined) parts.push(event.statusCode === null ? 'no status' : String(event.statusCode));
  if (event.outcome !== undefined) parts.push(event.outcome);
  if (event.elapsedMs !== undefined) parts.push(formatMs(event.elapsedMs));
  if (event.request !== undefined) parts.push(`request #${event.request}`);
  return parts.join(' · ');
}

/**
 * How long ago, for the cluster view: `now`, `4 s ago`, `2 min ago`.
 *
 * @example
 * formatAge(4200); // '4 s ago'
 */
export function formatAge(ms: number): string {
  if (ms < 1000) return 'now';
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s ago`;
  return `${Math.floor(ms / 60_000)} min ago`;
}
