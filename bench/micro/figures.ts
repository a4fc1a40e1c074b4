import { BARS, checkBar, type BarCheck } from '../bars';
import { formatNs, formatRatio } from '../format';
import { pairedRatio } from '../stats';

/** eventemitter3's emit with no listener as measured on the project's machine, idle (docs/benchmarks.md): a speed reference. */
const EVENTEMITTER3_IDLE_NS = 3.6;

/**
 * The libraries compared with one another, in the order of the printed table's columns.
 *
 * @example
 * PEERS.map((peer) => `peer/${peer}/10`); // the ids of the 10-receiver figures
 */
export const PEERS = [
  'rx-signals send',
  'Subject.next',
  'EventEmitter',
  'eventemitter3',
  'mitt',
  'diagnostics_channel',
] as const;

/**
 * One of the compared libraries.
 *
 * @example
 * const reference: Peer = 'Subject.next';
 */
export type Peer = (typeof PEERS)[number];

/**
 * The receiver counts of the peer comparison (docs/benchmarks.md).
 *
 * @example
 * RECEIVER_COUNTS.flatMap((receivers) => peerCases(receivers));
 */
export const RECEIVER_COUNTS = [0, 1, 10] as const;

/**
 * How many sender-bound receivers the sender-index case connects.
 *
 * @example
 * senderIndexCases(BOUND_SENDERS);
 */
export const BOUND_SENDERS = 1000;

/**
 * The start of the ids of the figures taken in an app of many payload shapes (`shapes.ts`),
 * followed by the id of the same case in the main run.
 *
 * @example
 * `${SHAPES_PREFIX}peer/rx-signals send/0`; // the send to nobody, in that app
 */
export const SHAPES_PREFIX = 'shapes/';

/**
 * What one micro case measured. Ids: `peer/<peer>/<receivers>`, `bound/...`, `variant/...`,
 * `harness/empty`, `floor/0`, and `shapes/` before any of them.
 *
 * @example
 * const send1: MicroFigure | undefined = figures.find((figure) => figure.id === 'peer/rx-signals send/1');
 */
export interface MicroFigure {
  readonly id: string;
  readonly label: string;
  readonly receivers: number;
  /** The median over rounds of each round's median time per operation. */
  readonly nsPerOp: number;
  readonly nsPerRound: readonly number[];
  /** Heap bytes per operation (NaN: asynchronous, or too much to take send by send). */
  readonly bytesPerOp: number;
}

/**
 * The send bars of docs/benchmarks.md, from the figures of one run. The 0-receiver time is the
 * raw figure, harness included (its own cost is given in the note).
 *
 * @example
 * microBars(figures).map((check) => check.verdict); // ['PASS', 'PASS', ...]
 */
export function microBars(figures: readonly MicroFigure[]): BarCheck[] {
  const find = (id: string) => figures.find((figure) => figure.id === id);
  const ns = (id: string) => find(id)?.nsPerOp;
  // Ratios round by round: each round times the two cases one after the other.
  const versus = (id: string, referenceId: string) => pairedRatio(find(id)?.nsPerRound, find(referenceId)?.nsPerRound);
  const sendAlone = find('peer/rx-signals send/0');
  // An absolute bar depends on the machine: these say how fast this one was during the run.
  const calibration = [
    ns('harness/empty') === undefined ? undefined : `the harness alone: ${formatNs(ns('harness/empty'))}`,
    // What a send that only checks its receiver count takes in the same rounds (floor-case.ts).
    ns('floor/0') === undefined
      ? undefined
      : `a send that only checks its receiver count: ${formatNs(ns('floor/0'))} (rx-signals: ${formatRatio(versus('peer/rx-signals send/0', 'floor/0'))} that)`,
    ns('peer/eventemitter3/0') === undefined
      ? undefined
      : `eventemitter3, 0 listeners: ${formatNs(ns('peer/eventemitter3/0'))} (${formatNs(EVENTEMITTER3_IDLE_NS)} idle, docs/benchmarks.md)`,
    // The same send where V8's feedback is an app's, not this run's one payload shape (shapes.ts).
    ns(`${SHAPES_PREFIX}peer/rx-signals send/0`) === undefined
      ? undefined
      : `in an app of many payload shapes: ${formatNs(ns(`${SHAPES_PREFIX}peer/rx-signals send/0`))}`,
  ].filter((text) => text !== undefined);
  return [
    checkBar(
      BARS.sendWithoutReceiversTime,
      sendAlone?.nsPerOp,
      calibration.length > 0 ? calibration.join('; ') : undefined,
    ),
    checkBar(BARS.sendWithoutReceiversAllocation, sendAlone?.bytesPerOp),
    checkBar(BARS.sendWithOneReceiver, versus('peer/rx-signals send/1', 'peer/Subject.next/1')),
    checkBar(BARS.sendWithTenReceivers, versus('peer/rx-signals send/10', 'peer/Subject.next/10')),
    checkBar(BARS.senderIndex, versus(`bound/rx-signals send/${BOUND_SENDERS}`, 'peer/rx-signals send/1')),
  ];
}
