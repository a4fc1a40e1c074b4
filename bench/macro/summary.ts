import { BARS, checkBar, markNoisy, type BarCheck } from '../bars';
import { formatMicros, formatPercent, formatRatio } from '../format';
import { median, pairedRatio, ratio, spread } from '../stats';
import { MACRO_VARIANTS, type MacroVariant } from './protocol';

/**
 * One load run against one server.
 *
 * @example
 * const run: MacroRun = { variant: 'hooks', round: 1, requestsPerSecond: 79_000, responses: 316_000, serverCpuSeconds: 3.96, serverSystemSeconds: 1.5, cpuFraction: 0.99 };
 */
export interface MacroRun {
  readonly variant: MacroVariant;
  readonly round: number;
  /** The fresh process pair of the panel bar's own rounds (see `runPanelPairs`); absent in the main rounds. */
  readonly pair?: number;
  readonly requestsPerSecond: number;
  readonly responses: number;
  /** CPU time (user + system) the server process used during the run. */
  readonly serverCpuSeconds: number;
  /** The kernel's part of `serverCpuSeconds`. */
  readonly serverSystemSeconds: number;
  /** The server's CPU use during the run (about 1: the server, not the load generator, was the bottleneck). */
  readonly cpuFraction: number;
  /** Why the run does not count (connection errors, timeouts, a status other than 200), if it does not. */
  readonly invalid?: string;
}

/**
 * The figures of one server over all rounds.
 *
 * @example
 * const idle: MacroFigure | undefined = results.figures.find((figure) => figure.variant === 'plugin-idle');
 */
export interface MacroFigure {
  readonly variant: MacroVariant;
  readonly medianRequestsPerSecond: number;
  /** (max - min) / median of the valid runs' req/s. */
  readonly spread: number;
  readonly medianCpuFraction: number;
  /**
   * Responses per second of server CPU time: the server's throughput had it had a core to
   * itself. Unlike req/s, it holds still when other processes take turns on the CPU.
   */
  readonly medianRequestsPerCpuSecond: number;
  /**
   * Server CPU per response, in microseconds, split between the process's own code (user: the
   * app, Fastify, Node's JavaScript, V8) and the kernel (system: reading requests and writing
   * responses on the sockets). On a 2-core machine the system part grows for a slower server
   * too (docs/benchmarks.md, "What the panel costs a request").
   */
  readonly medianUserMicrosPerRequest: number;
  readonly medianSystemMicrosPerRequest: number;
  readonly validRuns: number;
  readonly versusHooks: number;
  readonly versusPlain: number;
  /** The same ratios, per second of server CPU. */
  readonly perCpuVersusHooks: number;
  readonly perCpuVersusPlain: number;
}

/**
 * What the busy server's receivers counted, against the responses the load generator received.
 *
 * @example
 * if (results.receivers?.problem) console.warn(results.receivers.problem);
 */
export interface BusyReceiverCheck {
  readonly responses: number;
  readonly startedCalls: number;
  readonly finishedCalls: number;
  /** Set when the receivers did not run once per request each, or a request never finished. */
  readonly problem?: string;
}

/**
 * Everything the macro bench measured and concluded.
 *
 * @example
 * const { figures, bars, warnings }: MacroResults = await runMacro(plan, console.error);
 */
export interface MacroResults {
  readonly runs: readonly MacroRun[];
  readonly figures: readonly MacroFigure[];
  readonly bars: readonly BarCheck[];
  /** The check that the busy server's receivers ran (when that server was in the run). */
  readonly receivers?: BusyReceiverCheck;
  /** Warnings about the soundness of this run (a starved server, failed runs, receivers that did not run). */
  readonly warnings: readonly string[];
}

/**
 * Below this server CPU use, the server was not the bottleneck (it waited for the load generator,
 * or for a core busy with other processes): req/s then measures the machine's mood as much as
 * the server, and the per-CPU-second figures are the ones to read.
 */
export const SATURATED_CPU = 0.85;

/**
 * Medians, ratios, bars and warnings from the runs of one macro bench. The bars are the req/s
 * ratios of docs/benchmarks.md; when a server involved was not saturated they are flagged noisy, and
 * their note gives the per-CPU-second ratio. Runs with a `pair` (the panel bar's own rounds, see
 * `runPanelPairs`) count for the panel bar alone; the table keeps to the main rounds.
 *
 * @example
 * summarizeMacro(runs).figures.find((figure) => figure.variant === 'hooks')?.versusPlain; // ~0.91
 */
export function summarizeMacro(allRuns: readonly MacroRun[], receivers?: BusyReceiverCheck): MacroResults {
  const warnings: string[] = [];
  const runs = allRuns.filter((run) => run.pair === undefined);
  const pairRuns = allRuns.filter((run) => run.pair !== undefined);
  const medians = new Map<
    MacroVariant,
    {
      requestsPerSecond: number;
      spread: number;
      cpu: number;
      perCpuSecond: number;
      userMicros: number;
      systemMicros: number;
      valid: number;
    }
  >();
  for (const variant of MACRO_VARIANTS) {
    const valid = runs.filter((run) => run.variant === variant && run.invalid === undefined);
    for (const run of allRuns) {
      if (run.variant === variant && run.invalid !== undefined) {
        const pair = run.pair === undefined ? '' : `, pair ${run.pair}`;
        warnings.push(`${variant}${pair}, round ${run.round}: left out (${run.invalid})`);
      }
    }
    if (valid.length === 0) continue;
    const requestsPerSecond = valid.map((run) => run.requestsPerSecond);
    const cpu = median(valid.map((run) => run.cpuFraction));
    if (cpu < SATURATED_CPU) {
      warnings.push(
        `${variant}: the server used ${formatPercent(cpu)} of a core: it was waiting, for the load generator or ` +
          'for a CPU taken by other processes, so its req/s says little; read the per-CPU-second figures, or rerun on an idle machine.',
      );
    }
    medians.set(variant, {
      requestsPerSecond: median(requestsPerSecond),
      spread: spread(requestsPerSecond),
      cpu,
      perCpuSecond: median(valid.map((run) => ratio(run.responses, run.serverCpuSeconds)).filter(Number.isFinite)),
      userMicros: median(valid.map(userMicrosPerRequest)),
      systemMicros: median(valid.map(systemMicrosPerRequest)),
      valid: valid.length,
    });
  }
  const of = (variant: MacroVariant) => medians.get(variant);
  // Ratios round by round (each round loads every server one after the other): a slow spell of the
  // machine then slows both sides of a ratio. Rounds where either run was left out do not pair.
  const paired = (
    variant: MacroVariant,
    reference: MacroVariant,
    read: (run: MacroRun) => number,
    among: readonly MacroRun[] = runs,
  ) => {
    const pairs = among
      .filter((run) => run.variant === variant && run.invalid === undefined)
      .map((run) => [run, among.find((other) => other.variant === reference && other.round === run.round)] as const)
      .filter(([, other]) => other !== undefined && other.invalid === undefined);
    return pairs.length === 0
      ? Number.NaN
      : pairedRatio(
          pairs.map(([run]) => read(run)),
          pairs.map(([, other]) => read(other!)),
        );
  };
  const perSecond = (run: MacroRun) => run.requestsPerSecond;
  const perCpu = (run: MacroRun) => ratio(run.responses, run.serverCpuSeconds);
  const figures = MACRO_VARIANTS.filter((variant) => medians.has(variant)).map((variant): MacroFigure => {
    const figure = of(variant)!;
    return {
      variant,
      medianRequestsPerSecond: figure.requestsPerSecond,
      spread: figure.spread,
      medianCpuFraction: figure.cpu,
      medianRequestsPerCpuSecond: figure.perCpuSecond,
      medianUserMicrosPerRequest: figure.userMicros,
      medianSystemMicrosPerRequest: figure.systemMicros,
      validRuns: figure.valid,
      versusHooks: paired(variant, 'hooks', perSecond),
      versusPlain: paired(variant, 'plain', perSecond),
      perCpuVersusHooks: paired(variant, 'hooks', perCpu),
      perCpuVersusPlain: paired(variant, 'plain', perCpu),
    };
  });
  /** A verdict taken while a server it compares was starved of CPU says so, naming the servers. */
  const markStarved = (verdict: BarCheck, starved: readonly string[], where = ''): BarCheck =>
    starved.length > 0 && verdict.verdict !== 'SKIP'
      ? markNoisy(verdict, `servers under ${formatPercent(SATURATED_CPU)} CPU${where}: ${starved.join(', ')}`)
      : verdict;
  const bar = (check: typeof BARS.pluginIdle, variant: MacroVariant, reference: MacroVariant): BarCheck => {
    const figure = of(variant);
    const verdict = checkBar(
      check,
      paired(variant, reference, perSecond),
      figure ? `per server CPU second: ${formatRatio(paired(variant, reference, perCpu))}` : undefined,
    );
    return markStarved(
      verdict,
      [variant, reference].filter((name) => (of(name)?.cpu ?? 1) < SATURATED_CPU),
    );
  };
  /** The panel-open server's median of `read` over the pairs' runs, minus the busy server's, signed. */
  const extraMicros = (read: (run: MacroRun) => number): string => {
    const of = (variant: MacroVariant) => {
      const values = pairRuns.filter((run) => run.variant === variant && run.invalid === undefined).map(read);
      return values.length === 0 || !values.every(Number.isFinite) ? Number.NaN : median(values);
    };
    const extra = of('panel-open') - of('plugin-busy');
    return Number.isFinite(extra) ? `${extra < 0 ? '' : '+'}${formatMicros(extra)}` : formatMicros(extra);
  };
  /** The panel bar from its own rounds on fresh process pairs, the main rounds' ratio in its note. */
  const panelBar = (): BarCheck => {
    const pairs = [...new Set(pairRuns.map((run) => run.pair))];
    const ofPair = (pair: number | undefined) => pairRuns.filter((run) => run.pair === pair);
    const valid = pairRuns.filter((run) => run.invalid === undefined);
    const rounds = new Set(valid.map((run) => run.round)).size;
    const pairedRounds = valid.length - rounds; // each round loads both servers: those with two valid runs pair
    const note = [
      `median of ${pairedRounds} alternated rounds on ${pairs.length} fresh process ${pairs.length === 1 ? 'pair' : 'pairs'} ` +
        `(each pair: ${pairs.map((pair) => formatRatio(paired('panel-open', 'plugin-busy', perSecond, ofPair(pair)))).join(', ')})`,
      `per server CPU second: ${formatRatio(paired('panel-open', 'plugin-busy', perCpu, pairRuns))}`,
      `in the main rounds: ${formatRatio(paired('panel-open', 'plugin-busy', perSecond))}`,
      `the page's extra CPU per request in the pairs: ${extraMicros(userMicrosPerRequest)} µs user, ${extraMicros(systemMicrosPerRequest)} µs system`,
    ].join('; ');
    const verdict = checkBar(BARS.panelOpen, paired('panel-open', 'plugin-busy', perSecond, pairRuns), note);
    const starved = (['panel-open', 'plugin-busy'] as const).filter((variant) => {
      const cpu = pairRuns.filter((run) => run.variant === variant).map((run) => run.cpuFraction);
      return cpu.length > 0 && median(cpu) < SATURATED_CPU;
    });
    return markStarved(verdict, starved, " in the pairs' rounds");
  };
  const bars = [
    bar(BARS.pluginIdle, 'plugin-idle', 'hooks'),
    bar(BARS.pluginBusy, 'plugin-busy', 'hooks'),
    bar(BARS.pluginIdleVsPlain, 'plugin-idle', 'plain'),
    pairRuns.length === 0 ? bar(BARS.panelOpen, 'panel-open', 'plugin-busy') : panelBar(),
  ];
  if (receivers?.problem) warnings.push(receivers.problem);
  return { runs: allRuns, figures, bars, warnings, ...(receivers ? { receivers } : {}) };
}

/** The server's own CPU (user) per response of a run, in microseconds. */
function userMicrosPerRequest(run: MacroRun): number {
  return ratio((run.serverCpuSeconds - run.serverSystemSeconds) * 1e6, run.responses);
}

/** The kernel's CPU (system) per response of a run, in microseconds. */
function systemMicrosPerRequest(run: MacroRun): number {
  return ratio(run.serverSystemSeconds * 1e6, run.responses);
}
