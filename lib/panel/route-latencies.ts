import { OTHER_ROUTES, routeKey } from '../operators/group-by-route';
import type { RouteView } from './protocol';

/** Latencies kept per route for its percentiles (the route's latest). */
const SAMPLES = 100;

interface Route {
  /** `GET /users/:id` (see `routeKey`), or `(other routes)`. */
  readonly key: string;
  readonly samples: Float64Array;
  next: number;
  requests: number;
  failed: number;
  changed: boolean;
  view: RouteView | null;
}

/**
 * Per-route latency for the panel: each request only writes its time into its route's ring (no
 * sorting per request, unlike `latencyByRoute`, which emits on every request); percentiles are
 * taken when a page update asks, for the routes that changed since. At most `maxRoutes` routes
 * are kept apart, later ones are pooled as `(other routes)`. A route is found by its pattern,
 * then its method: strings the app already holds, so a request builds no key.
 *
 * @example
 * const routes = new RouteLatencies(30);
 * routes.record('GET', '/ok', 3.2, false);
 * routes.take(); // [{ route: 'GET /ok', requests: 1, failed: 0, p50: 3.2, p95: 3.2, maxMs: 3.2 }]
 * @internal
 */
export class RouteLatencies {
  private readonly byPattern = new Map<string, Map<string, Route>>();
  /** The routes kept apart, in the order they came; the pooled one last, once there is one. */
  private readonly routes: Route[] = [];
  private other: Route | null = null;
  private changed = false;

  constructor(private readonly maxRoutes: number) {}

  record(method: string, pattern: string, elapsedMs: number, failed: boolean): void {
    let route = this.byPattern.get(pattern)?.get(method);
    if (route === undefined) route = this.add(method, pattern);
    route.samples[route.next] = elapsedMs;
    route.next = (route.next + 1) % SAMPLES;
    route.requests++;
    if (failed) route.failed++;
    route.changed = this.changed = true;
  }

  /** Every route when any changed since the last call (`all`: in any case), else null. */
  take(all = false): RouteView[] | null {
    if (!all && !this.changed) return null;
    this.changed = false;
    return this.routes.map((route) => {
      if (route.changed || route.view === null) {
        route.changed = false;
        const kept = Math.min(route.requests, SAMPLES);
        const sorted = route.samples.slice(0, kept).sort();
        route.view = {
          route: route.key,
          requests: route.requests,
          failed: route.failed,
          p50: nearestRank(sorted, 0.5),
          p95: nearestRank(sorted, 0.95),
          maxMs: sorted[kept - 1],
        };
      }
      return route.view;
    });
  }

  clear(): void {
    this.byPattern.clear();
    this.routes.length = 0;
    this.other = null;
    this.changed = false;
  }

  /** The route of a method and pattern seen for the first time: its own, or the pool once full. */
  private add(method: string, pattern: string): Route {
    if (this.other !== null) return this.other;
    const pooled = this.routes.length >= this.maxRoutes;
    const route: Route = {
      key: pooled ? OTHER_ROUTES : routeKey({ method, route: pattern }),
      samples: new Float64Array(SAMPLES),
      next: 0,
      requests: 0,
      failed: 0,
      changed: false,
      view: null,
    };
    this.routes.push(route);
    if (pooled) this.other = route;
    else {
      let byMethod = this.byPattern.get(pattern);
      if (byMethod === undefined) this.byPattern.set(pattern, (byMethod = new Map()));
      byMethod.set(method, route);
    }
    return route;
  }
}

function nearestRank(sorted: Float64Array, share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}
