import { checkBar, BARS, type BarCheck } from '../bars';
import { formatBytes, formatNs, formatRatio } from '../format';
import { pairedRatio, ratio } from '../stats';
import { markdownTable } from '../table';
import type { MicroFigure } from './figures';

/**
 * The ids of the observability cases (`observability-cases.ts`), and the rows of their table in
 * this order.
 *
 * @example
 * OBSERVABILITY_CASES.profiled; // 'observability/send, 1 receiver, profiled'
 */
export const OBSERVABILITY_CASES = {
  emptySend: 'observability/send, 0 receivers, nobody observing',
  emptySendAfterChurn:
    'observability/send, 0 receivers, nobody observing any more (after 20 subscribe/unsubscribe cycles)',
  emptySendWatched: 'observability/send, 0 receivers, rx-signals:send subscribed',
  send: 'observability/send, 1 receiver, nobody observing',
  profiledElsewhere: 'observability/send, 1 receiver, a profiler running on another signal',
  profiled: 'observability/send, 1 receiver, profiled',
  profiledEveryCall: 'observability/send, 1 receiver, profiled with timeEveryCall',
  traced: 'observability/send, 1 receiver, rx-signals:receiver subscribed (every phase)',
} as const;

/**
 * One observability case.
 *
 * @example
 * const key: ObservabilityCase = 'traced';
 */
export type ObservabilityCase = keyof typeof OBSERVABILITY_CASES;

/**
 * The observability bars: with nobody observing, the 0-receiver send ≤ 2 ns and no allocation,
 * also once observers came and went; profiled, the 1-receiver send ≤ 2 × the same send unprofiled.
 *
 * @example
 * observabilityBars(figures).map((check) => check.verdict);
 */
export function observabilityBars(figures: readonly MicroFigure[]): BarCheck[] {
  // Nobody observing, whether or not someone did before (a panel page opened and closed): the worse.
  const empty = [find(figures, 'emptySend'), find(figures, 'emptySendAfterChurn')];
  const worst = (read: (figure: MicroFigure) => number) =>
    empty.some((figure) => figure === undefined) ? undefined : Math.max(...empty.map((figure) => read(figure!)));
  return [
    checkBar(
      BARS.unobservedEmptySendTime,
      worst((figure) => figure.nsPerOp),
    ),
    checkBar(
      BARS.unobservedEmptySendAllocation,
      worst((figure) => figure.bytesPerOp),
    ),
    checkBar(BARS.profiledSend, pairedRatio(find(figures, 'profiled')?.nsPerRound, find(figures, 'send')?.nsPerRound)),
  ];
}

/**
 * The observability figures: ns and bytes per send, and each against the same send with nobody
 * observing (0 or 1 receiver).
 *
 * @example
 * console.log(observabilityTable(results.figures));
 */
export function observabilityTable(figures: readonly MicroFigure[]): string {
  const rows = (Object.keys(OBSERVABILITY_CASES) as ObservabilityCase[]).map((key) => {
    const figure = find(figures, key);
    const reference = find(figures, figure?.receivers === 0 ? 'emptySend' : 'send');
    return [
      OBSERVABILITY_CASES[key].slice('observability/'.length),
      formatNs(figure?.nsPerOp),
      formatBytes(figure?.bytesPerOp),
      formatRatio(ratio(figure?.nsPerOp, reference?.nsPerOp)),
    ];
  });
  return markdownTable(['case', 'ns/op', 'B/op', '÷ nobody observing'], rows);
}

function find(figures: readonly MicroFigure[], key: ObservabilityCase): MicroFigure | undefined {
  return figures.find((figure) => figure.id === OBSERVABILITY_CASES[key]);
}
