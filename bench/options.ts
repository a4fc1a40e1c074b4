/**
 * The parts of the benchmark that `--only` can pick.
 *
 * @example
 * parseOptions([`--only=${SECTIONS.join(',')}`]); // the same as no --only
 */
export const SECTIONS = ['micro', 'memory', 'macro', 'streams', 'client', 'redis'] as const;

/**
 * One part of the benchmark.
 *
 * @example
 * const section: Section = 'macro';
 */
export type Section = (typeof SECTIONS)[number];

/**
 * What the command line asked for.
 *
 * @example
 * const options: BenchOptions = parseOptions(process.argv.slice(2));
 */
export interface BenchOptions {
  /** A short run to check that the harness works; its figures are not worth comparing. */
  readonly quick: boolean;
  /** Soak mode: only the long request soak (100,000+ requests through the plugin). */
  readonly soak: boolean;
  /** The sections to run (all of them unless `--only` narrowed them). */
  readonly sections: readonly Section[];
  readonly help: boolean;
}

/**
 * How much each section measures, derived from the options.
 *
 * @example
 * const plan: BenchPlan = planFor(options); // plan.macroRounds === 5 by default
 */
export interface BenchPlan {
  /** Rounds of the whole micro suite (medians are taken across rounds). */
  readonly microRounds: number;
  /** Minimum CPU time mitata spends on one case in one round, in milliseconds. */
  readonly microMinMs: number;
  /** Sends per trial and trials of the allocation probe. */
  readonly allocationSends: number;
  readonly allocationTrials: number;
  readonly connectCycles: number;
  /** Rounds of the alternated macro runs (A B C D, D C B A, ...). */
  readonly macroRounds: number;
  readonly macroSeconds: number;
  readonly macroWarmupSeconds: number;
  readonly macroConnections: number;
  /** The panel bar's fresh process pairs, the alternated rounds of each and their length (see `runPanelPairs`). */
  readonly panelPairs: number;
  readonly panelPairRounds: number;
  readonly panelPairSeconds: number;
  /** Requests kept in flight for the per-request stream measurement. */
  readonly requestsInFlight: number;
  readonly soakRequests: number;
  /** Test-client section: rounds (each times inject, the client and the muting client back to back) and sequential requests per way and round. */
  readonly clientRounds: number;
  readonly clientRequests: number;
  /** Redis section: rounds, broadcast events per round, latency samples, relayed sends, group entries. */
  readonly redisRounds: number;
  readonly redisEvents: number;
  readonly redisLatencySamples: number;
  readonly redisRelaySends: number;
  readonly redisGroupEvents: number;
}

/**
 * The help text of `npm run bench -- --help`.
 *
 * @example
 * console.log(USAGE);
 */
export const USAGE = `Usage: npm run bench [-- options]

  (no option)        micro, memory, macro, per-request stream, test client and Redis bridge benchmarks (a few minutes)
  --quick            a short smoke run of the same; its figures are not worth comparing
  --only=LIST        only these sections, comma-separated: ${SECTIONS.join(', ')}
  --soak             only the soak: 100,000+ requests through the plugin, counts and heap checked
                     (with --quick: 20,000 requests, to try it out)
  --help             this text`;

/**
 * Parses the bench's command-line flags (what follows `npm run bench --`).
 *
 * @example
 * parseOptions(['--quick', '--only=micro,memory']);
 * // { quick: true, soak: false, sections: ['micro', 'memory'], help: false }
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let soak = false;
  let help = false;
  let sections: readonly Section[] = SECTIONS;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--soak') soak = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('--only=')) sections = parseSections(arg.slice('--only='.length));
    else {
      throw new TypeError(
        `npm run bench: unknown option ${JSON.stringify(arg)}. Options are --quick, --soak, --only=${SECTIONS.join(',')} ` +
          'and --help; pass them after "--", e.g. npm run bench -- --quick.',
      );
    }
  }
  if (soak && sections !== SECTIONS) {
    throw new TypeError(
      'npm run bench: --soak runs the soak alone; leave out --only, or run them one after the other.',
    );
  }
  return { quick, soak, sections, help };
}

/**
 * The sizes of a run: the default run takes a few minutes on 2 cores, `--quick` seconds.
 *
 * @example
 * planFor(parseOptions(['--quick'])).macroRounds; // 2
 */
export function planFor(options: BenchOptions): BenchPlan {
  if (options.quick) {
    return {
      microRounds: 1,
      microMinMs: 30,
      allocationSends: 10_000,
      allocationTrials: 5,
      connectCycles: 100_000,
      macroRounds: 2,
      macroSeconds: 1,
      macroWarmupSeconds: 0.5,
      macroConnections: 50,
      panelPairs: 1,
      panelPairRounds: 2,
      panelPairSeconds: 1,
      requestsInFlight: 1_000,
      soakRequests: 20_000,
      clientRounds: 6,
      clientRequests: 50,
      redisRounds: 1,
      redisEvents: 5_000,
      redisLatencySamples: 300,
      redisRelaySends: 20_000,
      redisGroupEvents: 2_000,
    };
  }
  return {
    microRounds: 5,
    microMinMs: 250,
    allocationSends: 10_000,
    allocationTrials: 21,
    connectCycles: 1_000_000,
    macroRounds: 5,
    macroSeconds: 4,
    macroWarmupSeconds: 2,
    macroConnections: 50,
    panelPairs: 3,
    panelPairRounds: 4,
    panelPairSeconds: 3,
    requestsInFlight: 10_000,
    soakRequests: 120_000,
    clientRounds: 60,
    clientRequests: 100,
    redisRounds: 5,
    redisEvents: 50_000,
    redisLatencySamples: 2_000,
    redisRelaySends: 200_000,
    redisGroupEvents: 20_000,
  };
}

function parseSections(list: string): Section[] {
  const names = list.split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new TypeError(
      `npm run bench: --only=${list} names ${unknown.length > 0 ? `unknown sections ${unknown.join(', ')}` : 'no section'}. ` +
        `Pick from ${SECTIONS.join(', ')}, e.g. --only=micro,memory.`,
    );
  }
  return [...new Set(names as Section[])];
}
