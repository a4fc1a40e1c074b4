import { map, mergeMap, toArray } from 'rxjs';
import { OTHER_ROUTES, groupByRoute, routeKey } from '../../lib/operators/group-by-route';
import type { RequestSummary } from '../../lib/operators/summarize-requests';
import { marbles } from '../support/marbles';

const summary = (method: string, route: string, elapsedMs = 1): RequestSummary => ({
  method,
  route,
  statusCode: 200,
  outcome: 'completed',
  elapsedMs,
});
const a = summary('GET', '/a');
const b = summary('GET', '/b');
const c = summary('GET', '/c');
const postA = summary('POST', '/a');

describe('groupByRoute()', () => {
  it('groups by method and route pattern, one group per route, completing with the source', () => {
    marbles().run(({ hot, cold, expectObservable }) => {
      const summaries$ = hot('a-b-p-a-|', { a, b, p: postA });
      expectObservable(summaries$.pipe(groupByRoute())).toBe('x-y-z---|', {
        x: cold('a-----a-|', { a }),
        y: cold('b-----|', { b }),
        z: cold('p---|', { p: postA }),
      });
    });
  });

  it('caps the number of groups: routes beyond maxRoutes share the overflow group', () => {
    marbles().run(({ hot, cold, expectObservable }) => {
      const summaries$ = hot('a-b-c-p-a-c|', { a, b, c, p: postA });
      const keys$ = summaries$.pipe(
        groupByRoute({ maxRoutes: 2 }),
        map((route$) => route$.key),
      );
      expectObservable(keys$).toBe('x-y-z------|', { x: 'GET /a', y: 'GET /b', z: OTHER_ROUTES });
      expectObservable(summaries$.pipe(groupByRoute({ maxRoutes: 2 }))).toBe('x-y-z------|', {
        x: cold('a-------a--|', { a }),
        y: cold('b--------|', { b }),
        z: cold('c-p---c|', { c, p: postA }),
      });
    });
  });

  it('never holds more than maxRoutes + 1 groups, however many routes come by', () => {
    marbles().run(({ cold, expectObservable }) => {
      const many = Array.from({ length: 500 }, (_, i) => summary('GET', `/r${i}`));
      const summaries$ = cold('(a|)', { a: many }).pipe(mergeMap((list) => list));
      const counts$ = summaries$.pipe(
        groupByRoute({ maxRoutes: 10, overflowKey: 'rest' }),
        mergeMap((route$) =>
          route$.pipe(
            toArray(),
            map((list) => `${route$.key}=${list.length}`),
          ),
        ),
        toArray(),
      );
      expectObservable(counts$).toBe('(x|)', {
        x: [...Array.from({ length: 10 }, (_, i) => `GET /r${i}=1`), 'rest=490'],
      });
    });
  });

  it('keys routes as "METHOD pattern"', () => {
    expect(routeKey({ method: 'DELETE', route: '/users/:id' })).toBe('DELETE /users/:id');
  });

  it.each<[unknown, RegExp, ErrorConstructor]>([
    [{ maxRoutes: 0 }, /options\.maxRoutes must be a whole number >= 1/, RangeError],
    [{ maxRoutes: 2.5 }, /options\.maxRoutes must be a whole number >= 1/, TypeError],
    [{ maxRoutes: null }, /options\.maxRoutes must be a whole number >= 1, got null/, TypeError],
    [{ overflowKey: 1 }, /options\.overflowKey must be a string/, TypeError],
    [{ max: 3 }, /unknown option "max"\. Allowed options: maxRoutes, overflowKey/, TypeError],
  ])('rejects %p with a clear TypeError or RangeError', (options, message, kind) => {
    expect(() => groupByRoute(options as never)).toThrow(kind);
    expect(() => groupByRoute(options as never)).toThrow(message);
  });
});
