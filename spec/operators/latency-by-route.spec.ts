import { map } from 'rxjs';
import { OTHER_ROUTES } from '../../lib/operators/group-by-route';
import { latencyByRoute, type RouteLatency } from '../../lib/operators/latency-by-route';
import type { RequestSummary } from '../../lib/operators/summarize-requests';
import { marbles } from '../support/marbles';

const summary = (
  route: string,
  elapsedMs: number,
  outcome: RequestSummary['outcome'] = 'completed',
): RequestSummary => ({
  method: 'GET',
  route,
  statusCode: outcome === 'errored' ? 500 : 200,
  outcome,
  elapsedMs,
});

describe('latencyByRoute()', () => {
  it("emits the updated route's percentiles after each request", () => {
    marbles().run(({ hot, expectObservable }) => {
      const summaries$ = hot('a-b-c-d', {
        a: summary('/a', 10),
        b: summary('/a', 30),
        c: summary('/b', 5, 'errored'),
        d: summary('/a', 20),
      });
      expectObservable(summaries$.pipe(latencyByRoute())).toBe('a-b-c-d', {
        a: {
          route: 'GET /a',
          requests: 1,
          failed: 0,
          p50: 10,
          p95: 10,
          maxMs: 10,
          lastMs: 10,
          lastOutcome: 'completed',
        },
        b: {
          route: 'GET /a',
          requests: 2,
          failed: 0,
          p50: 10,
          p95: 30,
          maxMs: 30,
          lastMs: 30,
          lastOutcome: 'completed',
        },
        c: { route: 'GET /b', requests: 1, failed: 1, p50: 5, p95: 5, maxMs: 5, lastMs: 5, lastOutcome: 'errored' },
        d: {
          route: 'GET /a',
          requests: 3,
          failed: 0,
          p50: 20,
          p95: 30,
          maxMs: 30,
          lastMs: 20,
          lastOutcome: 'completed',
        },
      } satisfies Record<string, RouteLatency>);
    });
  });

  it('takes percentiles over the latest `samples` requests only, while counting every request', () => {
    marbles().run(({ hot, expectObservable }) => {
      const summaries$ = hot('abcd', {
        a: summary('/a', 100),
        b: summary('/a', 1),
        c: summary('/a', 2),
        d: summary('/a', 3),
      });
      const latest = (p: RouteLatency) => ({ requests: p.requests, p50: p.p50, p95: p.p95, maxMs: p.maxMs });
      const result$ = summaries$.pipe(latencyByRoute({ samples: 3 }));
      expectObservable(result$.pipe(map(latest))).toBe('abcd', {
        a: { requests: 1, p50: 100, p95: 100, maxMs: 100 },
        b: { requests: 2, p50: 1, p95: 100, maxMs: 100 },
        c: { requests: 3, p50: 2, p95: 100, maxMs: 100 },
        d: { requests: 4, p50: 2, p95: 3, maxMs: 3 }, // the 100 ms request left the 3 samples
      });
    });
  });

  it('tracks at most maxRoutes routes on their own and pools the rest', () => {
    marbles().run(({ hot, expectObservable }) => {
      const summaries$ = hot('abc', { a: summary('/a', 1), b: summary('/b', 2), c: summary('/c', 3) });
      expectObservable(summaries$.pipe(latencyByRoute({ maxRoutes: 1 }))).toBe('abc', {
        a: { route: 'GET /a', requests: 1, failed: 0, p50: 1, p95: 1, maxMs: 1, lastMs: 1, lastOutcome: 'completed' },
        b: {
          route: OTHER_ROUTES,
          requests: 1,
          failed: 0,
          p50: 2,
          p95: 2,
          maxMs: 2,
          lastMs: 2,
          lastOutcome: 'completed',
        },
        c: {
          route: OTHER_ROUTES,
          requests: 2,
          failed: 0,
          p50: 2,
          p95: 3,
          maxMs: 3,
          lastMs: 3,
          lastOutcome: 'completed',
        },
      });
    });
  });

  it.each<[unknown, RegExp, ErrorConstructor]>([
    [{ samples: 0 }, /options\.samples must be a whole number >= 1/, RangeError],
    [{ samples: '10' }, /options\.samples must be a whole number >= 1/, TypeError],
    [{ maxRoutes: -1 }, /options\.maxRoutes must be a whole number >= 1/, RangeError],
    [{ isFailed: 1 }, /options\.isFailed must be a function/, TypeError],
    [{ sample: 10 }, /unknown option "sample"/, TypeError],
  ])('rejects %p with a clear TypeError or RangeError', (options, message, kind) => {
    expect(() => latencyByRoute(options as never)).toThrow(kind);
    expect(() => latencyByRoute(options as never)).toThrow(message);
  });
});
