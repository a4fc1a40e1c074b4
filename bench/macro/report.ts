import { formatMicros, formatPercent, formatRate, formatRatio } from '../format';
import { markdownTable } from '../table';
import { VARIANT_LABELS } from './apps';
import type { MacroFigure } from './summary';

/**
 * The macro figures as a markdown table: median req/s, the spread of the runs, ratios to the
 * no-op-hooks server and to plain Fastify, the server's CPU use, the same throughput per second
 * of server CPU with its ratios (the figures to read when the servers were not saturated), and
 * the server's CPU per request split between its own code (user) and the kernel (system).
 *
 * @example
 * console.log(macroTable(results.figures));
 */
export function macroTable(figures: readonly MacroFigure[]): string {
  const rows = figures.map((figure) => [
    VARIANT_LABELS[figure.variant],
    formatRate(figure.medianRequestsPerSecond),
    `±${formatPercent(figure.spread / 2)}`,
    formatRatio(figure.versusHooks),
    formatRatio(figure.versusPlain),
    formatPercent(figure.medianCpuFraction),
    formatRate(figure.medianRequestsPerCpuSecond),
    formatRatio(figure.perCpuVersusHooks),
    formatRatio(figure.perCpuVersusPlain),
    formatMicros(figure.medianUserMicrosPerRequest),
    formatMicros(figure.medianSystemMicrosPerRequest),
  ]);
  return markdownTable(
    [
      'server',
      'req/s',
      'spread',
      '÷ no-op hooks',
      '÷ plain',
      'server CPU',
      'req per CPU-s',
      '÷ no-op hooks',
      '÷ plain',
      'user µs/req',
      'system µs/req',
    ],
    rows,
  );
}
