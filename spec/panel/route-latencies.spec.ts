/**
 * The panel's per-route latency: routes found by pattern then method, percentiles taken when a
 * page update asks, at most `maxRoutes` routes apart and the rest pooled as `(other routes)`.
 */
import { OTHER_ROUTES } from '../../lib/operators/group-by-route';
import { RouteLatencies } from '../../lib/panel/route-latencies';

describe('RouteLatencies', () => {
  it('keeps one route per method and pattern, with its percentiles, only when asked', () => {
    const routes = new RouteLatencies(10);
    expect(routes.take()).toBeNull(); // nothing recorded yet
    for (let ms = 1; ms <= 20; ms++) routes.record('GET', '/items/:id', ms, ms === 20);
    routes.record('POST', '/items/:id', 7, false);
    expect(routes.take()).toEqual([
      { route: 'GET /items/:id', requests: 20, failed: 1, p50: 10, p95: 19, maxMs: 20 },
      { route: 'POST /items/:id', requests: 1, failed: 0, p50: 7, p95: 7, maxMs: 7 },
    ]);
    expect(routes.take()).toBeNull(); // unchanged since
    expect(routes.take(true)).toHaveLength(2); // a page that just opened gets them all
  });

  it('pools the routes beyond maxRoutes as one, listed last', () => {
    const routes = new RouteLatencies(2);
    routes.record('GET', '/a', 1, false);
    routes.record('GET', '/b', 2, false);
    routes.record('GET', '/c', 3, false);
    routes.record('DELETE', '/a', 4, true); // a new method of a known pattern is a new route too
    routes.record('GET', '/a', 5, false);
    expect(routes.take()!.map(({ route, requests, failed }) => [route, requests, failed])).toEqual([
      ['GET /a', 2, 0],
      ['GET /b', 1, 0],
      [OTHER_ROUTES, 2, 1],
    ]);
    routes.clear();
    routes.record('GET', '/c', 6, false); // room again after a clear
    expect(routes.take()!.map(({ route }) => route)).toEqual(['GET /c']);
  });
});
