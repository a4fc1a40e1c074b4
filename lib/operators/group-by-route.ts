import { Observable, groupBy, type GroupedObservable, type OperatorFunction } from 'rxjs';
import { describeValue, rejectUnknownKeys, requireInteger, requireOptionsObject, requireString } from '../core/checks';
import type { RequestSummary } from './summarize-requests';

/**
 * Options of {@link groupByRoute}.
 *
 * @example
 * summaries$.pipe(groupByRoute({ maxRoutes: 20, overflowKey: 'other' }));
 */
export interface GroupByRouteOptions {
  /** How many routes get a group of their own. Default 50. */
  maxRoutes?: number;
  /** The key of the one group that takes every route beyond `maxRoutes`. Default {@link OTHER_ROUTES}. */
  overflowKey?: string;
}

/**
 * The key of the group that collects the routes beyond `maxRoutes`.
 *
 * @example
 * summaries$.pipe(groupByRoute({ maxRoutes: 2 })); // third route on: grouped under '(other routes)'
 */
export const OTHER_ROUTES = '(other routes)';

const OPTIONS = ['maxRoutes', 'overflowKey'] as const;

/**
 * The key of a route: method and pattern, as Fastify tells routes apart, e.g. `'GET /users/:id'`.
 *
 * @example
 * routeKey({ method: 'GET', route: '/users/:id' }); // 'GET /users/:id'
 */
export function routeKey(summary: Pick<RequestSummary, 'method' | 'route'>): string {
  const { method, route } = (typeof summary === 'object' && summary !== null ? summary : {}) as Partial<RequestSummary>;
  if (typeof method !== 'string' || typeof route !== 'string') {
    throw new TypeError(
      `routeKey(summary): summary must be a request summary ({ method, route, ... }), got ${describeValue(summary)}. ` +
        'Pass what summarizeRequests() emits.',
    );
  }
  return `${method} ${route}`;
}

/**
 * Splits request summaries into one Observable per route (key: {@link routeKey}), like RxJS's
 * `groupBy`, with bounded memory: the first `maxRoutes` routes seen get their own group, and
 * every later one shares the overflow group ({@link OTHER_ROUTES}). So at most `maxRoutes + 1`
 * groups ever exist, however many routes — or unmatched URLs, all keyed `'GET (unmatched)'` —
 * an app serves. Groups complete when the source does.
 *
 * @example
 * summaries$
 *   .pipe(
 *     groupByRoute({ maxRoutes: 20 }),
 *     mergeMap((route$) => route$.pipe(count(), map((requests) => ({ route: route$.key, requests })))),
 *   )
 *   .subscribe(console.log); // on completion: { route: 'GET /ok', requests: 42 }, ...
 */
export function groupByRoute(
  options?: GroupByRouteOptions,
): OperatorFunction<RequestSummary, GroupedObservable<string, RequestSummary>> {
  requireOptionsObject('groupByRoute()', options);
  if (options) rejectUnknownKeys('groupByRoute()', options, OPTIONS);
  const { maxRoutes = 50, overflowKey = OTHER_ROUTES } = options ?? {};
  requireInteger('groupByRoute()', 'options.maxRoutes', maxRoutes, {
    min: 1,
    hint: 'It caps how many routes get a group of their own (e.g. { maxRoutes: 50 }).',
  });
  requireString('groupByRoute()', 'options.overflowKey', overflowKey);
  return (source) => {
    // Per subscription: each subscriber to the result sees its own first `maxRoutes` routes.
    return new Observable<GroupedObservable<string, RequestSummary>>((subscriber) => {
      const routes = new Set<string>();
      const keyOf = (summary: RequestSummary): string => {
        const key = routeKey(summary);
        if (routes.has(key)) return key;
        if (routes.size >= maxRoutes) return overflowKey;
        routes.add(key);
        return key;
      };
      return source.pipe(groupBy(keyOf)).subscribe(subscriber);
    });
  };
}
