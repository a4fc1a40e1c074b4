import type { BarCheck } from '../bars';
import type { BenchPlan } from '../options';
import { median } from '../stats';
import { harnessCase, peerCases, senderIndexCases, sendVariantCases, type MicroCase } from './cases';
import { eventCases } from './event-cases';
import { floorCase } from './floor-case';
import { BOUND_SENDERS, RECEIVER_COUNTS, microBars, type MicroFigure } from './figures';
import { allocationPerOperation, timeOperation, verifyCalls } from './measure';
import { observabilityBars } from './observability';
import { observabilityCases } from './observability-cases';
import { measureInManyShapesApp } from './shapes';

/**
 * The micro figures of one run and the send bars checked on them.
 *
 * @example
 * const { figures, bars }: MicroResults = await runMicro(plan, console.error);
 */
export interface MicroResults {
  readonly figures: readonly MicroFigure[];
  readonly bars: readonly BarCheck[];
}

/** Warm-up calls of every case before the first round, so round 1 is not the JIT's learning phase. */
const WARMUP_CALLS = 20_000;

/**
 * Runs the micro benchmarks: every case once per round (so a burst of load from another process
 * hits one round, not one case), the median over rounds, then the allocation probe and the bars.
 * The same sends in an app of many payload shapes are measured in a process of their own
 * (`shapes.ts`), since what they leave in V8's feedback would stay for every later case.
 *
 * @example
 * const { figures, bars } = await runMicro(planFor(parseOptions([])), console.log);
 */
export async function runMicro(plan: BenchPlan, log: (line: string) => void): Promise<MicroResults> {
  const cases: MicroCase[] = [
    harnessCase(),
    floorCase(),
    ...RECEIVER_COUNTS.flatMap((receivers) => peerCases(receivers)),
    ...senderIndexCases(BOUND_SENDERS),
    ...sendVariantCases([1, 10]),
    ...eventCases(),
    ...observabilityCases(),
  ];
  const figures = [...(await measureCases(cases, plan, log)), ...(await measureInManyShapesApp(plan, log))];
  return { figures, bars: [...microBars(figures), ...observabilityBars(figures)] };
}

/**
 * Checks, warms up and times `cases` in rounds, then takes their allocation: one figure each.
 *
 * @example
 * const figures = await measureCases([harnessCase()], plan, console.log);
 */
export async function measureCases(
  cases: readonly MicroCase[],
  plan: BenchPlan,
  log: (line: string) => void,
): Promise<MicroFigure[]> {
  for (const microCase of cases) await observed(microCase, () => verifyCalls(microCase));
  for (const microCase of cases) await observed(microCase, () => warm(microCase));

  const rounds = new Map<MicroCase, number[]>(cases.map((microCase) => [microCase, []]));
  for (let round = 1; round <= plan.microRounds; round++) {
    log(`micro: round ${round} of ${plan.microRounds} (${cases.length} cases)`);
    for (const microCase of cases) {
      rounds.get(microCase)!.push(await observed(microCase, () => timeOperation(microCase.op, plan.microMinMs)));
    }
  }
  log('micro: allocation per operation');
  return cases.map((microCase): MicroFigure => {
    const nsPerRound = rounds.get(microCase)!;
    return {
      id: microCase.id,
      label: microCase.label,
      receivers: microCase.receivers,
      nsPerOp: median(nsPerRound),
      nsPerRound,
      bytesPerOp: microCase.measureAllocation
        ? observedSync(microCase, () =>
            allocationPerOperation(microCase.op, plan.allocationSends, plan.allocationTrials),
          )
        : Number.NaN,
    };
  });
}

/** Runs `work` with the case's observer switched on (see `MicroCase.observe`). */
async function observed<T>(microCase: MicroCase, work: () => Promise<T>): Promise<T> {
  const stop = microCase.observe?.();
  try {
    return await work();
  } finally {
    stop?.();
  }
}

function observedSync<T>(microCase: MicroCase, work: () => T): T {
  const stop = microCase.observe?.();
  try {
    return work();
  } finally {
    stop?.();
  }
}

async function warm(microCase: MicroCase): Promise<void> {
  for (let call = 0; call < WARMUP_CALLS; call++) {
    const result = microCase.op();
    if (result instanceof Promise) await result;
  }
}
