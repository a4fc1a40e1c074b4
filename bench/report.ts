import { describeLimit, formatBarFigure, type BarCheck } from './bars';
import { formatBytes } from './format';
import type { SoakResult } from './soak';
import { markdownTable } from './table';

/**
 * The verdicts of a run's bars as a markdown table: what, measured, bar, PASS/FAIL/SKIP.
 *
 * @example
 * console.log(barsTable([checkBar(BARS.pluginIdle, 0.99)]));
 * // | bar | measured | limit | verdict |  ...  | ... | 0.99× | ≥ 0.98× | PASS |
 */
export function barsTable(checks: readonly BarCheck[]): string {
  const rows = checks.map((check) => [
    check.bar.what,
    formatBarFigure(check.bar, check.measured),
    describeLimit(check.bar),
    `${check.verdict}${check.bar.stretch && check.verdict === 'FAIL' ? ' (stretch)' : ''}${check.noisy ? ' (noisy)' : ''}`,
    [check.note, check.noisy].filter((text) => text !== undefined && text !== '').join('; '),
  ]);
  return markdownTable(['bar (docs/benchmarks.md)', 'measured', 'limit', 'verdict', 'note'], rows);
}

/**
 * The soak's counts, client side and server side, and the heap, as a markdown table.
 *
 * @example
 * console.log(soakTable(await runSoak(plan, console.error)));
 */
export function soakTable(soak: SoakResult): string {
  const count = (value: number | undefined) => (value === undefined ? 'n/a' : value.toLocaleString('en-US'));
  const statuses = Object.entries(soak.client.byStatus)
    .map(([status, responses]) => `${status}: ${count(responses)}`)
    .join(', ');
  const { server } = soak;
  return markdownTable(
    ['what', 'count'],
    [
      ['requests sent', count(soak.requests)],
      ['responses received (by status)', `${count(soak.client.responses)} (${statuses})`],
      ['client errors / timeouts', `${count(soak.client.errors)} / ${count(soak.client.timeouts)}`],
      ['requestStarted', count(server.started)],
      ['requestFinished', count(server.finished)],
      [
        '… by outcome: completed / errored / aborted / timeout',
        [server.completed, server.errored, server.aborted, server.timeout].map(count).join(' / '),
      ],
      ['gotRequestException', count(server.exceptions)],
      [
        '`eventsOf(request)` streams subscribed / completed',
        `${count(server.watched)} / ${count(server.watchedCompleted)}`,
      ],
      [
        'server heap after GC: before → after',
        `${formatBytes(soak.heapBefore)} → ${formatBytes(soak.heapAfter)} (${formatBytes(soak.growth, true)})`,
      ],
    ],
  );
}
