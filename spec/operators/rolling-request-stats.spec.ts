import { Subject } from 'rxjs';
import { rollingRequestStats, type RequestStats } from '../../lib/operators/rolling-request-stats';
import type { RequestSummary } from '../../lib/operators/summarize-requests';
import { marbles } from '../support/marbles';

const ok: RequestSummary = { method: 'GET', route: '/ok', statusCode: 200, outcome: 'completed', elapsedMs: 1 };
const failed: RequestSummary = { method: 'GET', route: '/fail', statusCode: 500, outcome: 'errored', elapsedMs: 1 };
const notFound: RequestSummary = {
  method: 'GET',
  route: '(unmatched)',
  statusCode: 404,
  outcome: 'completed',
  elapsedMs: 1,
};

/** The stats expected for `requests` and `failed` in a window of `windowMs`. */
const stats = (windowMs: number, requests: number, failedCount: number): RequestStats => ({
  windowMs,
  requests,
  failed: failedCount,
  errorRate: requests === 0 ? 0 : failedCount / requests,
  perSecond: (requests * 1000) / windowMs,
});

describe('rollingRequestStats()', () => {
  it('emits on every request and again as each one leaves the window, back down to zero', () => {
    marbles().run(({ hot, expectObservable }) => {
      const summaries$ = hot('a 99ms b 99ms c', { a: ok, b: failed, c: notFound });
      expectObservable(summaries$.pipe(rollingRequestStats({ windowMs: 1000 }))).toBe(
        'a 99ms b 99ms c 799ms x 99ms y 99ms z',
        {
          a: stats(1000, 1, 0),
          b: stats(1000, 2, 1),
          c: stats(1000, 3, 1),
          x: stats(1000, 2, 1), // a left at 1000 ms: the window is (now - 1000, now]
          y: stats(1000, 1, 0),
          z: stats(1000, 0, 0),
        },
      );
    });
  });

  it('drops old requests when a new one arrives, in a single emission', () => {
    marbles().run(({ hot, expectObservable }) => {
      // b arrives exactly when a leaves: one emission that already excludes a.
      const summaries$ = hot('a 999ms b', { a: failed, b: ok });
      expectObservable(summaries$.pipe(rollingRequestStats({ windowMs: 1000 })), '^ 1500ms !').toBe('a 999ms b', {
        a: stats(1000, 1, 1),
        b: stats(1000, 1, 0),
      });
    });
  });

  it('counts requests that finish at the same instant together, and leaves them together', () => {
    marbles().run(({ hot, expectObservable }) => {
      const summaries$ = hot('(abc)', { a: ok, b: failed, c: failed });
      expectObservable(summaries$.pipe(rollingRequestStats({ windowMs: 500 }))).toBe('(abc) 495ms z', {
        a: stats(500, 1, 0),
        b: stats(500, 2, 1),
        c: stats(500, 3, 2),
        z: stats(500, 0, 0),
      });
    });
  });

  it('reports throughput per second of window and the share of failures', () => {
    marbles().run(({ hot, expectObservable }) => {
      const summaries$ = hot('a 9ms b 9ms c 9ms d', { a: ok, b: ok, c: ok, d: failed });
      const last$ = summaries$.pipe(rollingRequestStats({ windowMs: 2000 }));
      expectObservable(last$, '^ 40ms !').toBe('a 9ms b 9ms c 9ms d', {
        a: stats(2000, 1, 0),
        b: stats(2000, 2, 0),
        c: stats(2000, 3, 0),
        d: { windowMs: 2000, requests: 4, failed: 1, errorRate: 0.25, perSecond: 2 },
      });
    });
  });

  it('uses a custom isFailed, and ends the pipeline (not the process) when it throws', () => {
    marbles().run(({ hot, expectObservable }) => {
      const summaries$ = hot('a-b', { a: notFound, b: ok });
      const fourXXFails = rollingRequestStats({ windowMs: 100, isFailed: (s) => (s.statusCode ?? 0) >= 400 });
      expectObservable(summaries$.pipe(fourXXFails), '^ 10ms !').toBe('a-b', {
        a: stats(100, 1, 1),
        b: stats(100, 2, 1),
      });
      const broken = new Error('broken predicate');
      const throwing = rollingRequestStats({
        isFailed: () => {
          throw broken;
        },
      });
      expectObservable(summaries$.pipe(throwing)).toBe('#', undefined, broken);
    });
  });

  it('stops its timer when unsubscribed or when the source completes', () => {
    marbles().run(({ hot, expectObservable, flush }) => {
      const summaries$ = hot('a-|', { a: ok });
      expectObservable(summaries$.pipe(rollingRequestStats({ windowMs: 1000 }))).toBe('a-|', { a: stats(1000, 1, 0) });
      flush();
    });
    const source = new Subject<RequestSummary>();
    const subscription = source.pipe(rollingRequestStats()).subscribe();
    source.next(ok); // schedules a real timer 10 s ahead; unsubscribing must cancel it
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
  });

  it.each<[unknown, RegExp, ErrorConstructor]>([
    [{ windowMs: 0 }, /options\.windowMs must be a number of milliseconds above 0 and at most 2147483647/, RangeError],
    [{ windowMs: Infinity }, /options\.windowMs must be a number of milliseconds/, RangeError],
    [{ windowMs: '1000' }, /options\.windowMs must be a number of milliseconds/, TypeError],
    [{ isFailed: 'yes' }, /options\.isFailed must be a function/, TypeError],
    [{ scheduler: {} }, /options\.scheduler must be an RxJS scheduler/, TypeError],
    [{ window: 1000 }, /unknown option "window"\. Allowed options: windowMs, isFailed, scheduler/, TypeError],
    ['fast', /options must be an object/, TypeError],
  ])('rejects %p with a clear TypeError or RangeError', (options, message, kind) => {
    expect(() => rollingRequestStats(options as never)).toThrow(kind);
    expect(() => rollingRequestStats(options as never)).toThrow(message);
  });

  it('rejects a windowMs above 2^31-1 ms, which setTimeout would turn into a 1 ms timer loop', () => {
    expect(() => rollingRequestStats({ windowMs: 2 ** 31 })).toThrow(RangeError);
    expect(() => rollingRequestStats({ windowMs: 30 * 24 * 3600 * 1000 })).toThrow(/at most 2147483647/);
    expect(() => rollingRequestStats({ windowMs: 2 ** 31 - 1 })).not.toThrow();
  });
});
