import type { RequestFinishedEvent } from '../../lib/fastify/signals';
import { slowerThan } from '../../lib/operators/slower-than';
import { summarizeRequests, type RequestSummary } from '../../lib/operators/summarize-requests';
import { marbles } from '../support/marbles';
import { finishedEvent, realRequestsOfThisFile } from './real-requests';

const real = realRequestsOfThisFile();

const summary = (elapsedMs: number): RequestSummary => ({
  method: 'GET',
  route: '/slow',
  statusCode: 200,
  outcome: 'completed',
  elapsedMs,
});

describe('slowerThan()', () => {
  it('keeps only summaries that took strictly longer than the threshold', () => {
    marbles().run(({ hot, expectObservable }) => {
      const values = { a: summary(10), b: summary(500), c: summary(500.5), d: summary(2000) };
      expectObservable(hot('a-b-c-d|', values).pipe(slowerThan(500))).toBe('----c-d|', values);
    });
  });

  it('works on requestFinished events directly, and behind summarizeRequests', () => {
    marbles().run(({ hot, expectObservable }) => {
      const values: Record<string, RequestFinishedEvent> = {
        a: finishedEvent(real.ok, 'completed', 5),
        b: finishedEvent(real.boom, 'errored', 900),
      };
      const events$ = hot<RequestFinishedEvent>('a-b', values);
      expectObservable(events$.pipe(slowerThan(100))).toBe('--b', { b: values.b });
      expectObservable(events$.pipe(summarizeRequests(), slowerThan(100))).toBe('--b', {
        b: { method: 'POST', route: '/boom', statusCode: 500, outcome: 'errored', elapsedMs: 900 },
      });
    });
  });

  it.each<[unknown, ErrorConstructor]>([
    [-1, RangeError],
    [NaN, RangeError],
    [Infinity, RangeError],
    ['500', TypeError],
    [undefined, TypeError],
  ])('rejects the threshold %p with a clear error', (bad, kind) => {
    expect(() => slowerThan(bad as number)).toThrow(kind);
    expect(() => slowerThan(bad as number)).toThrow(
      /slowerThan\(thresholdMs\): thresholdMs must be a finite number >= 0, got .*Give milliseconds/,
    );
  });
});
