import { CallFigures, DEFAULT_SAMPLES, MAX_SAMPLES } from './call-figures';
import { rejectUnknownKeys, requireBoolean, requireInteger, requireOptionsObject, requireSignals } from './checks';
import type { Connection } from './connection';
import { startProfiler, stopProfiler, type ProbedConnection, type ProfilerSink } from './receiver-probe';
import type { Signal } from './signal';
import type { AnySignal } from './types';

/**
 * What a profiler measured for one connection. `signal` and `receiver` are names (a receiver
 * without one is `<anonymous>`), so a snapshot can be logged or sent as JSON as is.
 *
 * @example
 * const [slowest]: ReceiverProfile[] = profiler.snapshot();
 * console.log(`${slowest.signal} → ${slowest.receiver}: p95 ${slowest.p95Ms.toFixed(2)} ms`);
 */
export interface ReceiverProfile {
  readonly signal: string;
  readonly receiver: string;
  /** Calls since the start (or the last reset), pending ones included. */
  readonly calls: number;
  /** Calls that threw, or whose Promise rejected. */
  readonly errors: number;
  /** Calls whose Promise has not settled yet. */
  readonly pending: number;
  /**
   * Time spent in the completed calls, a Promise response counted until it settled. Exact when
   * every call was timed (`timedCalls` equals the completed calls); otherwise estimated from the
   * timed ones (see {@link ProfileReceiversOptions.timeEveryCall}).
   */
  readonly totalMs: number;
  /** Median and 95th percentile of the latest timed calls (`options.samples` of them at most). */
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** The longest timed call. */
  readonly maxMs: number;
  /** How many completed calls were timed. */
  readonly timedCalls: number;
  /** True while an operator of the connection's pipe is paused (see `pausable`). */
  readonly paused: boolean;
}

/**
 * Options of {@link profileReceivers}.
 *
 * @example
 * profileReceivers(requestFinished, { samples: 200, timeEveryCall: true });
 */
export interface ProfileReceiversOptions {
  /**
   * How many of each connection's latest timed calls the percentiles are taken from: a whole
   * number from 1 to 100,000 (default 1,000; 8 bytes each).
   */
  samples?: number;
  /**
   * Time every call (default false). By default a receiver whose calls take under 2 µs has one
   * call in 16 timed, as two clock reads cost about as much as such a call; its `totalMs` is
   * then estimated. Calls and errors are always counted exactly.
   */
  timeEveryCall?: boolean;
}

/**
 * A running profiler: read it with `snapshot()`, start its figures afresh with `reset()`, end it
 * with `stop()` (its last figures stay readable).
 *
 * @example
 * const profiler = profileReceivers();
 * setInterval(() => console.table(profiler.snapshot().slice(0, 5)), 10_000);
 */
export interface ReceiverProfiler {
  /** One entry per live connection of the profiled signals, the largest `totalMs` first. */
  snapshot(): ReceiverProfile[];
  /** Zeroes every figure; calls still pending complete into the fresh figures. */
  reset(): void;
  /** Stops measuring (idempotent). Until then, every receiver call of the profiled signals is counted. */
  stop(): void;
}

/** A signal as the profiler reads it. */
type ProfiledSignal = Signal<never, never>;

const OPTIONS = ['samples', 'timeEveryCall'] as const;

/**
 * Measures the receivers of some signals (all of them when none is given): per connection,
 * calls, errors, total, median, 95th percentile and longest time, a Promise response timed until
 * it settles. Several profilers may run at once, each with its own figures. While none runs,
 * sends pay nothing for this.
 *
 * @example
 * const profiler = profileReceivers([requestStarted, requestFinished]);
 * await runLoadTest();
 * console.table(profiler.snapshot()); // slowest first
 * profiler.stop();
 */
export function profileReceivers(
  signalOrSignals?: AnySignal | readonly AnySignal[],
  options?: ProfileReceiversOptions,
): ReceiverProfiler {
  const signals =
    signalOrSignals === undefined
      ? null
      : new Set<object>(
          requireSignals(
            'profileReceivers(signals)',
            'signals',
            signalOrSignals,
            'Call profileReceivers() without it to profile every signal.',
          ),
        );
  const where = 'profileReceivers(signals, options)';
  requireOptionsObject(where, options);
  if (options) rejectUnknownKeys(where, options, OPTIONS);
  const { samples = DEFAULT_SAMPLES, timeEveryCall = false } = options ?? {};
  const samplesHint = `Pass how many recent calls per receiver the percentiles use, from 1 to ${MAX_SAMPLES}.`;
  requireInteger(where, 'options.samples', samples, { min: 1, hint: samplesHint });
  if (samples > MAX_SAMPLES)
    throw new RangeError(`${where}: options.samples must be at most ${MAX_SAMPLES}, got ${samples}. ${samplesHint}`);
  requireBoolean(where, 'options.timeEveryCall', timeEveryCall);
  return startReceiverProfiler(signals, { samples, timeEveryCall });
}

/**
 * `profileReceivers` with its arguments checked (`signals` null: every signal), and receivers
 * it leaves alone (`ignored`: the panel's own, neither counted nor listed, so that their calls
 * cost no more than unprofiled ones).
 * @internal
 */
export function startReceiverProfiler(
  signals: ReadonlySet<object> | null,
  {
    samples = DEFAULT_SAMPLES,
    timeEveryCall = false,
    ignored = new Set(),
  }: ProfileReceiversOptions & { readonly ignored?: ReadonlySet<Function> } = {},
): ReceiverProfiler {
  const profiler = new Profiler(signals, samples, timeEveryCall, ignored);
  startProfiler(profiler);
  return {
    snapshot: () => profiler.snapshot(),
    reset: () => profiler.reset(),
    stop: () => profiler.stop(),
  };
}

/** One connection's figures, with what a snapshot needs to name it. */
interface Entry {
  readonly signal: ProfiledSignal;
  readonly connection: Connection<never>;
  readonly figures: CallFigures;
}

/** How many entries the map holds before it drops those of ended connections. */
const FIRST_PRUNE = 64;

class Profiler implements ProfilerSink {
  private readonly entries = new Map<Connection<never>, Entry>();
  private pruneAt = FIRST_PRUNE;

  constructor(
    private readonly signals: ReadonlySet<object> | null,
    private readonly samples: number,
    readonly timeEveryCall: boolean,
    private readonly ignored: ReadonlySet<Function>,
  ) {}

  covers(signal: object, connection: ProbedConnection): boolean {
    return (this.signals === null || this.signals.has(signal)) && !this.ignored.has(connection.receiver!);
  }

  figuresFor(signal: object, connection: object): CallFigures {
    return this.entry(signal as ProfiledSignal, connection as Connection<never>).figures;
  }

  snapshot(): ReceiverProfile[] {
    // Connections that were never called are listed too: a profile of some signals shows every receiver.
    for (const signal of (this.signals ?? []) as Iterable<ProfiledSignal>) {
      for (const connection of signal.liveConnections()) {
        if (this.covers(signal, connection)) this.entry(signal, connection);
      }
    }
    this.prune();
    const profiles = [...this.entries.values()].map(({ signal, connection, figures }): ReceiverProfile => {
      const info = connection.info();
      const [p50Ms, p95Ms] = figures.percentiles();
      return {
        signal: signal.name,
        receiver: info.name,
        calls: figures.calls,
        errors: figures.errors,
        pending: figures.pending,
        totalMs: figures.totalMs(),
        p50Ms,
        p95Ms,
        maxMs: figures.maxMs,
        timedCalls: figures.timedCalls,
        paused: info.paused,
      };
    });
    return profiles.sort((a, b) => b.totalMs - a.totalMs);
  }

  reset(): void {
    for (const { figures } of this.entries.values()) figures.reset();
  }

  stop(): void {
    stopProfiler(this);
    // The connections' cached probes would keep these figures alive until their next call.
    for (const connection of this.entries.keys()) connection.probe = null;
  }

  private entry(signal: ProfiledSignal, connection: Connection<never>): Entry {
    let entry = this.entries.get(connection);
    if (entry === undefined) {
      if (this.entries.size >= this.pruneAt) this.prune();
      entry = { signal, connection, figures: new CallFigures(this.samples) };
      this.entries.set(connection, entry);
    }
    return entry;
  }

  /** Forgets ended connections: a profile lists live ones, and a long profile must not grow with churn. */
  private prune(): void {
    for (const connection of this.entries.keys()) if (connection.closed) this.entries.delete(connection);
    this.pruneAt = Math.max(FIRST_PRUNE, this.entries.size * 2);
  }
}
