/** How many of the latest timed calls a profiler keeps per connection unless told otherwise. */
export const DEFAULT_SAMPLES = 1000;

/** The largest `samples` option: 8 bytes a sample, so at most 800 KB for one connection. */
export const MAX_SAMPLES = 100_000;

/** The first size of a connection's sample ring: most connections of a short profile need no more. */
const INITIAL_RING = 16;

/**
 * What one profiler knows about one connection: exact counts of calls and errors, and the
 * durations of the calls that were timed (every call of a slow receiver; one in a few calls of a
 * receiver that takes about a microsecond, see `ReceiverProbe`).
 *
 * Percentiles come from the latest `capacity` timed durations (a ring, so they follow what the
 * receiver does now); `maxMs` and the total cover every timed call since the start or reset.
 *
 * @example
 * const figures = new CallFigures(1000);
 * figures.calls++;
 * figures.timed(0.2, false);
 * figures.percentiles(); // [0.2, 0.2]
 * @internal
 */
export class CallFigures {
  /** Calls begun, whether they completed, failed or are still pending. */
  calls = 0;
  /** Calls that threw, or whose Promise rejected. */
  errors = 0;
  /** Calls whose Promise has not settled yet. */
  pending = 0;
  /** Completed calls that were timed. */
  timedCalls = 0;
  /** Completed calls that were not timed (sampled out). */
  untimedCalls = 0;
  timedMs = 0;
  maxMs = 0;
  private ring: Float64Array;
  /** How many samples the ring holds, and where the next one goes. */
  private held = 0;
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Float64Array(Math.min(INITIAL_RING, capacity));
  }

  /** A completed call that was timed. */
  timed(ms: number, failed: boolean): void {
    if (failed) this.errors++;
    this.timedCalls++;
    this.timedMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
    if (this.held === this.ring.length && this.held < this.capacity) this.grow();
    this.ring[this.next] = ms;
    this.next = this.next + 1 === this.ring.length ? 0 : this.next + 1;
    if (this.held < this.ring.length) this.held++;
  }

  /** A completed call that was not timed. */
  untimed(failed: boolean): void {
    if (failed) this.errors++;
    this.untimedCalls++;
  }

  /**
   * The time spent in completed calls: exact when every call was timed; otherwise the timed
   * time plus, for each untimed call, the mean of the timed ones (the receiver's calls were
   * sampled evenly, so this estimates what timing them all would have given).
   */
  totalMs(): number {
    if (this.untimedCalls === 0 || this.timedCalls === 0) return this.timedMs;
    return this.timedMs * ((this.timedCalls + this.untimedCalls) / this.timedCalls);
  }

  /**
   * The median and 95th percentile of the samples held, by the nearest-rank method (each is a
   * duration that was measured); 0 when nothing was timed.
   */
  percentiles(): [p50: number, p95: number] {
    const sorted = this.ring.slice(0, this.held).sort();
    return [percentileOf(sorted, 0.5), percentileOf(sorted, 0.95)];
  }

  /** Forgets everything but calls still pending, which complete into the fresh figures. */
  reset(): void {
    this.calls = this.pending;
    this.errors = 0;
    this.timedCalls = 0;
    this.untimedCalls = 0;
    this.timedMs = 0;
    this.maxMs = 0;
    this.held = 0;
    this.next = 0;
  }

  /** Doubles the ring (up to `capacity`); only while it is not full yet, so the order is intact. */
  private grow(): void {
    const larger = new Float64Array(Math.min(this.ring.length * 2, this.capacity));
    larger.set(this.ring);
    this.next = this.ring.length;
    this.ring = larger;
  }
}

/** Nearest rank: the smallest sample with at least `q` of the samples at or below it. */
function percentileOf(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
