import type { CallFigures } from './call-figures';
import { noteProfilers } from './observers';

/**
 * A running profiler, as the dispatch sees it: which connections it covers and where it keeps
 * each one's figures.
 * @internal
 */
export interface ProfilerSink {
  covers(signal: object, connection: ProbedConnection): boolean;
  figuresFor(signal: object, connection: ProbedConnection): CallFigures;
  /** True when this profiler wants every call timed, not a sample of a fast receiver's calls. */
  readonly timeEveryCall: boolean;
}

/** A connection as the profiler sees it: its receiver, and where its probe is cached. @internal */
export interface ProbedConnection {
  probe: ReceiverProbe | null;
  readonly receiver: Function | undefined;
}

/**
 * Whether profilers run: `running` is their number (also noted in `observers.calls`, which the
 * dispatch reads), `generation` changes whenever one starts or stops, so that each connection's
 * cached probe knows when to look again which profilers cover it.
 * @internal
 */
export const profiling = { running: 0, generation: 0 };

const sinks: ProfilerSink[] = [];

/** Registers a running profiler. @internal */
export function startProfiler(sink: ProfilerSink): void {
  sinks.push(sink);
  profiling.running++;
  profiling.generation++;
  noteProfilers(profiling.running);
}

/** Unregisters a profiler; idempotent. @internal */
export function stopProfiler(sink: ProfilerSink): void {
  const index = sinks.indexOf(sink);
  if (index < 0) return;
  sinks.splice(index, 1);
  profiling.running--;
  profiling.generation++;
  noteProfilers(profiling.running);
}

/**
 * The probe of a connection for the profilers running now, or null when none covers its signal.
 * Cached on the connection until a profiler starts or stops.
 * @internal
 */
export function probeOf(signal: object, connection: ProbedConnection): ReceiverProbe | null {
  const cached = connection.probe;
  if (cached !== null && cached.generation === profiling.generation) return cached.idle ? null : cached;
  const covering = sinks.filter((sink) => sink.covers(signal, connection));
  const probe = new ReceiverProbe(
    profiling.generation,
    covering.map((sink) => sink.figuresFor(signal, connection)),
    covering.some((sink) => sink.timeEveryCall),
  );
  connection.probe = probe;
  return probe.idle ? null : probe;
}

/**
 * A call that takes at least this long (2 µs) is timed every time: two clock reads (about 90 ns
 * on a small server) are then under 5 % of it.
 */
const SLOW_CALL_MS = 0.002;
/** Timed calls in a row under {@link SLOW_CALL_MS} before a receiver counts as fast. */
const FAST_STREAK = 8;
/** A fast receiver has one call in this many timed: the rest of its calls cost a counter. */
const FAST_SAMPLING = 16;

/**
 * One connection's link to the running profilers that cover its signal: it hands each call's
 * outcome to every profiler's figures, and decides which calls are timed.
 *
 * Timing a call reads the clock twice (`performance.now()`, ~45 ns each on a 2-core server):
 * more than the dispatch of a receiver that takes a few hundred nanoseconds. So every call of a
 * receiver is timed while it is slow (its timed calls take 2 µs or more, or it answers with
 * Promises), and one call in 16 once its last 8 timed calls were all faster. Calls and errors
 * are always counted exactly; `CallFigures.totalMs` estimates the untimed calls from the timed
 * ones.
 * @internal
 */
export class ReceiverProbe {
  /** Calls to leave untimed before the next timed one. */
  private skip = 0;
  private fastStreak = 0;
  /** True when no running profiler covers the connection's signal. */
  readonly idle: boolean;

  constructor(
    readonly generation: number,
    private readonly figures: readonly CallFigures[],
    private readonly timeEveryCall: boolean,
  ) {
    this.idle = figures.length === 0;
  }

  /** Counts a call that begins, and says whether to time it. */
  begin(): boolean {
    const figures = this.figures;
    for (let index = 0; index < figures.length; index++) figures[index].calls++;
    if (this.skip === 0) return true;
    this.skip--;
    return false;
  }

  /** A timed call completed (returned, threw, or its Promise settled). */
  timed(ms: number, failed: boolean): void {
    const figures = this.figures;
    for (let index = 0; index < figures.length; index++) figures[index].timed(ms, failed);
    if (ms >= SLOW_CALL_MS || this.timeEveryCall) this.fastStreak = 0;
    else if (++this.fastStreak >= FAST_STREAK) this.skip = FAST_SAMPLING - 1;
  }

  /** An untimed call completed. */
  untimed(failed: boolean): void {
    const figures = this.figures;
    for (let index = 0; index < figures.length; index++) figures[index].untimed(failed);
  }

  /** The call answered with a thenable, followed until it settles: time every call from now on. */
  awaiting(): void {
    for (const figures of this.figures) figures.pending++;
    this.fastStreak = 0;
    this.skip = 0;
  }

  /** A followed thenable settled. */
  settled(ms: number | null, failed: boolean): void {
    for (const figures of this.figures) figures.pending--;
    if (ms === null) this.untimed(failed);
    else this.timed(ms, failed);
  }
}
