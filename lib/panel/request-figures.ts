import { LATENCY_BUCKETS_MS, MAX_LATENCY_SAMPLES, type StatsMessage } from './protocol';

/** Counts are kept per slot of this many milliseconds: memory bounded by the window, not by traffic. */
const SLOT_MS = 100;

interface Slot {
  readonly index: number;
  requests: number;
  failed: number;
  status4xx: number;
  status5xx: number;
}

/**
 * The app's request figures over a rolling window: in flight, throughput, failures, 4xx/5xx,
 * latency percentiles and a log-scale histogram. Counts live in 100 ms slots; percentiles come
 * from the window's latest {@link MAX_LATENCY_SAMPLES} latencies (a ring), so a busy app costs
 * the same memory as a quiet one. The caller brings the clock.
 *
 * @example
 * const figures = new RequestFigures(10_000);
 * figures.started();
 * figures.finished(12, 200, false, Date.now());
 * figures.snapshot(Date.now()); // { requests: 1, inFlight: 0, p99Ms: 12, ... }
 * @internal
 */
export class RequestFigures {
  private inFlight = 0;
  private slots: Slot[] = [];
  private readonly sampleAt = new Float64Array(MAX_LATENCY_SAMPLES);
  private readonly sampleMs = new Float64Array(MAX_LATENCY_SAMPLES);
  private samples = 0;
  private next = 0;

  constructor(readonly windowMs: number) {}

  started(): void {
    this.inFlight++;
  }

  /** A request that finished in `elapsedMs` (its status `null` when no headers went out). */
  finished(elapsedMs: number, statusCode: number | null, failed: boolean, now: number): void {
    if (this.inFlight > 0) this.inFlight--; // a request started before the figures began is not counted
    const index = Math.floor(now / SLOT_MS);
    let slot = this.slots[this.slots.length - 1];
    if (slot === undefined || slot.index !== index) {
      this.evict(now);
      this.slots.push((slot = { index, requests: 0, failed: 0, status4xx: 0, status5xx: 0 }));
    }
    slot.requests++;
    if (failed) slot.failed++;
    const status = statusCode ?? 0;
    if (status >= 400 && status < 500) slot.status4xx++;
    else if (status >= 500) slot.status5xx++;
    this.sampleAt[this.next] = now;
    this.sampleMs[this.next] = elapsedMs;
    this.next = (this.next + 1) % MAX_LATENCY_SAMPLES;
    if (this.samples < MAX_LATENCY_SAMPLES) this.samples++;
  }

  /** The figures of the window ending at `now`. */
  snapshot(now: number): StatsMessage {
    this.evict(now);
    let requests = 0;
    let failed = 0;
    let status4xx = 0;
    let status5xx = 0;
    for (const slot of this.slots) {
      requests += slot.requests;
      failed += slot.failed;
      status4xx += slot.status4xx;
      status5xx += slot.status5xx;
    }
    const latencies: number[] = [];
    for (let i = 0; i < this.samples; i++) {
      if (now - this.sampleAt[i] < this.windowMs) latencies.push(this.sampleMs[i]);
    }
    latencies.sort((a, b) => a - b);
    const histogram = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
    let bucket = 0;
    for (const ms of latencies) {
      while (bucket < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[bucket]) bucket++;
      histogram[bucket]++;
    }
    return {
      windowMs: this.windowMs,
      requests,
      failed,
      errorRate: requests === 0 ? 0 : failed / requests,
      perSecond: (requests * 1000) / this.windowMs,
      inFlight: this.inFlight,
      status4xx,
      status5xx,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      p99Ms: percentile(latencies, 0.99),
      histogram,
    };
  }

  private evict(now: number): void {
    const oldest = Math.floor((now - this.windowMs) / SLOT_MS);
    let old = 0;
    while (old < this.slots.length && this.slots[old].index <= oldest) old++;
    if (old > 0) this.slots = this.slots.slice(old);
  }
}

/** Nearest-rank percentile of sorted values; null when there are none. */
function percentile(sorted: readonly number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}
