import { formatBytes, formatNs, formatRatio } from '../format';
import { pairedRatio, ratio } from '../stats';
import { markdownTable } from '../table';
import { PEERS, RECEIVER_COUNTS, SHAPES_PREFIX, type MicroFigure } from './figures';

/**
 * The peer comparison: median ns per send for each library and receiver count, and our ratio to
 * raw `Subject.next` (the median of the rounds' ratios).
 *
 * @example
 * console.log(peerTable(results.figures));
 */
export function peerTable(figures: readonly MicroFigure[]): string {
  const rows = RECEIVER_COUNTS.map((receivers) => {
    const figure = (peer: string) => find(figures, `peer/${peer}/${receivers}`);
    return [
      String(receivers),
      ...PEERS.map((peer) => formatNs(figure(peer)?.nsPerOp)),
      formatRatio(pairedRatio(figure('rx-signals send')?.nsPerRound, figure('Subject.next')?.nsPerRound)),
    ];
  });
  return markdownTable(['receivers', ...PEERS, 'send ÷ Subject.next'], rows);
}

/**
 * Heap bytes allocated per send, for each library and receiver count.
 *
 * @example
 * console.log(allocationTable(results.figures));
 */
export function allocationTable(figures: readonly MicroFigure[]): string {
  const rows = RECEIVER_COUNTS.map((receivers) => [
    String(receivers),
    ...PEERS.map((peer) => formatBytes(find(figures, `peer/${peer}/${receivers}`)?.bytesPerOp)),
  ]);
  return markdownTable(['receivers (B/op)', ...PEERS], rows);
}

/**
 * The other micro figures: the sender index, sendRobust, asend, the reference send to nobody and
 * the harness's own cost, each against the `send` of the same run that it is naturally compared
 * with (the 1-receiver send for the sender index, as its bar says; the send with as many
 * receivers for the others).
 *
 * @example
 * console.log(otherSendsTable(results.figures));
 */
export function otherSendsTable(figures: readonly MicroFigure[]): string {
  const others = figures.filter(
    (figure) => !['peer/', 'observability/', SHAPES_PREFIX].some((prefix) => figure.id.startsWith(prefix)),
  );
  const rows = others.map((figure) => {
    const receivers = figure.id.startsWith('variant/') || figure.id.startsWith('floor/') ? figure.receivers : 1;
    const reference = figure.id.startsWith('harness/') ? undefined : find(figures, `peer/rx-signals send/${receivers}`);
    return [
      figure.label,
      formatNs(figure.nsPerOp),
      formatBytes(figure.bytesPerOp),
      reference
        ? `${formatRatio(ratio(figure.nsPerOp, reference.nsPerOp))} (${receivers} receiver${receivers === 1 ? '' : 's'})`
        : '',
    ];
  });
  return markdownTable(['case', 'ns/op', 'B/op', '÷ send with'], rows);
}

/**
 * The sends measured in an app of many payload shapes (`shapes.ts`), each beside the same case
 * in the main run, and the 1-receiver send against `Subject.next` measured there too.
 *
 * @example
 * console.log(manyShapesTable(results.figures));
 */
export function manyShapesTable(figures: readonly MicroFigure[]): string {
  const inApp = figures.filter((figure) => figure.id.startsWith(SHAPES_PREFIX));
  const rows = inApp.map((figure) => {
    const alone = find(figures, figure.id.slice(SHAPES_PREFIX.length));
    return [figure.label, formatNs(figure.nsPerOp), formatBytes(figure.bytesPerOp), formatNs(alone?.nsPerOp)];
  });
  const send = find(figures, `${SHAPES_PREFIX}peer/rx-signals send/1`);
  const subject = find(figures, `${SHAPES_PREFIX}peer/Subject.next/1`);
  const main = (peer: string) => find(figures, `peer/${peer}/1`)?.nsPerRound;
  rows.push([
    'send ÷ Subject.next, 1 receiver',
    formatRatio(pairedRatio(send?.nsPerRound, subject?.nsPerRound)),
    '',
    formatRatio(pairedRatio(main('rx-signals send'), main('Subject.next'))),
  ]);
  return markdownTable(['case', 'many shapes', 'B/op', 'main run (one shape)'], rows);
}

function find(figures: readonly MicroFigure[], id: string): MicroFigure | undefined {
  return figures.find((figure) => figure.id === id);
}
