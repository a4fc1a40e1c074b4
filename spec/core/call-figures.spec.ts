/**
 * The profiler's per-connection figures: nearest-rank percentiles over a bounded ring of the
 * latest timed calls, exact counts, and the total estimated from sampled calls.
 */
import { CallFigures } from '../../lib/core/call-figures';

function timedAll(figures: CallFigures, durations: readonly number[]): void {
  for (const ms of durations) figures.timed(ms, false);
}

describe('CallFigures', () => {
  it('gives 0 for everything before any call', () => {
    const figures = new CallFigures(10);
    expect([...figures.percentiles(), figures.totalMs(), figures.maxMs]).toEqual([0, 0, 0, 0]);
  });

  it('takes percentiles by nearest rank: always a measured duration', () => {
    const figures = new CallFigures(1000);
    timedAll(figures, [5, 1, 4, 2, 3]);
    expect(figures.percentiles()).toEqual([3, 5]);
    timedAll(
      figures,
      Array.from({ length: 95 }, (_, i) => i + 6),
    ); // 1..100
    expect(figures.percentiles()).toEqual([50, 95]);
  });

  it('grows its ring up to the capacity, then keeps only the latest samples', () => {
    const figures = new CallFigures(40);
    timedAll(
      figures,
      Array.from({ length: 40 }, () => 100),
    ); // grows 16 → 32 → 40
    expect(figures.percentiles()).toEqual([100, 100]);
    timedAll(
      figures,
      Array.from({ length: 39 }, () => 1),
    );
    expect(figures.percentiles()).toEqual([1, 1]); // one 100 left of 40: above the 95th percentile
    figures.timed(1, false);
    expect(figures.percentiles()).toEqual([1, 1]);
    expect([figures.maxMs, figures.timedCalls, figures.timedMs]).toEqual([100, 80, 4040]);
  });

  it('estimates the total of sampled calls from the mean of the timed ones', () => {
    const figures = new CallFigures(10);
    timedAll(figures, [2, 4]);
    for (let i = 0; i < 6; i++) figures.untimed(i === 0);
    expect(figures.totalMs()).toBe(6 + 6 * 3);
    expect(figures.errors).toBe(1);
  });

  it('reset keeps pending calls counted, and forgets the rest', () => {
    const figures = new CallFigures(10);
    figures.calls = 5;
    figures.pending = 2;
    timedAll(figures, [1, 2, 3]);
    figures.untimed(true);
    figures.reset();
    expect([figures.calls, figures.pending, figures.errors, figures.timedCalls, figures.untimedCalls]).toEqual([
      2, 2, 0, 0, 0,
    ]);
    expect([...figures.percentiles(), figures.totalMs(), figures.maxMs]).toEqual([0, 0, 0, 0]);
  });
});
