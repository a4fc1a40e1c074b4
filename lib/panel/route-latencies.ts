import { OTHER_ROUTES, routeKey } from '../operators/group-by-route';
import type { RouteView } from './protocol';

/** Latencies kept per route for its percentiles (the route's latest). */
const SAMPLES = 100;

interface Route {
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
 * are kept apart, later ones are pooled as `(other routes)`.
 *
 * @example
 * const routes = new RouteLatencies(30);
 * routes.record({ method: 'GET', route: '/ok' }, 3.2, false);
 * routes.take(); // [{ route: 'GET /ok', requests: 1, failed: 0, p50: 3.2, p95: 3.2, maxMs: 3.2 }]
 * @internal
 */
export class RouteLatencies {
  private readonly routes = new Map<string, Route>();
  private changed = false;

  constructor(private readonly maxRoutes: number) {}

  record(request: { method: string; route: string }, elapsedMs: number, failed: boolean): void {
    let key = routeKey(request);
    let route = this.routes.get(key);
    if (route === undefined) {
      if (this.routes.size >= this.maxRoutes) route = this.routes.get((key = OTHER_ROUTES));
      if (route === undefined) {
        route = { samples: new Float64Array(SAMPLES), next: 0, requests: 0, failed: 0, changed: false, view: null };
        this.routes.set(key, route);
      }
    }
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
    const views: RouteView[] = [];
    for (const [key, route] of this.routes) {
      if (route.changed || route.view === null) {
        route.changed = false;
        const kept = Math.min(route.requests, SAMPLES);
        const sorted = route.samples.slice(0, kept).sort();
        route.view = {
          route: key,
          requests: route.requests,
          failed: route.failed,
          p50: nearestRank(sorted, 0.5),
          p95: nearestRank(sorted, 0.95),
          maxMs: sorted[kept - 1],
        };
      }
      views.push(route.view);
    }
    return views;
  }

  clear(): void {
    this.routes.clear();
    this.changed = false;
  }
}

function nearestRank(sorted: Float64Array, share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}
