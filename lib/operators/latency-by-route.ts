import { Observable, mergeMap, type OperatorFunction } from 'rxjs';
import { rejectUnknownKeys, requireFunction, requireInteger, requireOptionsObject } from '../core/checks';
import { groupByRoute } from './group-by-route';
import { isFailedRequest, type RequestSummary } from './summarize-requests';

/**
 * Options of {@link latencyByRoute}.
 *
 * @example
 * summaries$.pipe(latencyByRoute({ maxRoutes: 20, samples: 200 }));
 */
export interface LatencyByRouteOptions {
  /** How many routes are tracked on their own; later ones share `OTHER_ROUTES`. Default 50. */
  maxRoutes?: number;
  /** How many of each route's latest latencies the percentiles are taken over. Default 100. */
  samples?: number;
  /** What counts as a failed request. Default {@link isFailedRequest}. */
  isFailed?: (summary: RequestSummary) => boolean;
}

/**
 * Latency of one route, updated with each of its requests.
 *
 * @example
 * { route: 'GET /users/:id', requests: 42, failed: 1, p50: 3.2, p95: 18, maxMs: 40, lastMs: 2.9, lastOutcome: 'completed' }
 */
export interface RouteLatency {
  /** The route's key (`'GET /users/:id'`, see `routeKey`), or the overflow key. */
  readonly route: string;
  /** Requests of this route seen so far. */
  readonly requests: number;
  /** Of those, the failed ones. */
  readonly failed: number;
  /** Median latency over the latest `samples` requests, in milliseconds. */
  readonly p50: number;
  /** 95th percentile over the latest `samples` requests (nearest rank), in milliseconds. */
  readonly p95: number;
  /** Slowest of the latest `samples` requests, in milliseconds. */
  readonly maxMs: number;
  /** Latency of the request that caused this update, in milliseconds. */
  readonly lastMs: number;
  /** Outcome of the request that caused this update. */
  readonly lastOutcome: RequestSummary['outcome'];
}

const OPTIONS = ['maxRoutes', 'samples', 'isFailed'] as const;

/**
 * Per-route latency percentiles: after each request summary, emits the updated
 * {@link RouteLatency} of that request's route. Memory is bounded twice over: at most
 * `maxRoutes + 1` routes (see `groupByRoute`), each keeping its latest `samples` latencies in a
 * ring buffer. Each update sorts one route's samples (`samples` numbers), so keep `samples`
 * modest on a busy app, and put `auditTime`/`bufferTime` behind it to redraw a chart.
 *
 * @example
 * app.signals.requestFinished$
 *   .pipe(summarizeRequests(), latencyByRoute({ maxRoutes: 20 }))
 *   .subscribe(({ route, p50, p95 }) => chart.update(route, p50, p95));
 */
export function latencyByRoute(options?: LatencyByRouteOptions): OperatorFunction<RequestSummary, RouteLatency> {
  requireOptionsObject('latencyByRoute()', options);
  if (options) rejectUnknownKeys('latencyByRoute()', options, OPTIONS);
  const { maxRoutes = 50, samples = 100, isFailed = isFailedRequest } = options ?? {};
  requireInteger('latencyByRoute()', 'options.samples', samples, {
    min: 1,
    hint: 'It is how many recent latencies per route the percentiles cover (e.g. { samples: 100 }).',
  });
  requireFunction('latencyByRoute()', 'options.isFailed', isFailed, 'Pass (summary) => boolean.');
  const byRoute = groupByRoute({ maxRoutes }); // validates maxRoutes
  return (source) =>
    source.pipe(
      byRoute,
      mergeMap((route$) => route$.pipe(trackLatency(route$.key, samples, isFailed))),
    );
}

/** The latency state of one route: a ring of its latest latencies, and its counters. */
function trackLatency(
  route: string,
  samples: number,
  isFailed: (summary: RequestSummary) => boolean,
): OperatorFunction<RequestSummary, RouteLatency> {
  return (source) =>
    new Observable<RouteLatency>((subscriber) => {
      const ring = new Float64Array(samples);
      let filled = 0;
      let next = 0;
      let requests = 0;
      let failed = 0;
      return source.subscribe({
        next: (summary) => {
          let failure: boolean;
          try {
            failure = isFailed(summary);
          } catch (error) {
            return subscriber.error(error); // a throwing predicate ends this pipeline, not the process
          }
          requests++;
          if (failure) failed++;
          ring[next] = summary.elapsedMs;
          next = (next + 1) % samples;
          if (filled < samples) filled++;
          const sorted = ring.slice(0, filled).sort();
          subscriber.next({
            route,
            requests,
            failed,
            p50: nearestRank(sorted, 0.5),
            p95: nearestRank(sorted, 0.95),
            maxMs: sorted[filled - 1],
            lastMs: summary.elapsedMs,
            lastOutcome: summary.outcome,
          });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/** The nearest-rank percentile of sorted values: the smallest value with at least `p` of them at or below it. */
function nearestRank(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}
