import { formatNs, formatRate, formatRatio } from '../format';
import { markdownTable } from '../table';
import type { RedisResults } from './suite';

/**
 * The Redis section's table: each bridge figure beside raw node-redis doing the same work.
 *
 * @example
 * console.log(redisTable(results)); // | what | bridge | raw node-redis | bridge ÷ raw | ...
 */
export function redisTable(results: RedisResults): string {
  const { broadcastPerSecond: b, p99Ms: p, relaySendNs: r, groupPerSecond: g } = results;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  return markdownTable(
    ['what (medians)', 'bridge', 'raw node-redis / no relay', 'ratio'],
    [
      [
        'broadcast between two processes, events/s',
        formatRate(b.bridge),
        formatRate(b.raw),
        formatRatio(b.bridge / b.raw),
      ],
      ['p99 send → remote receiver, one in flight', ms(p.bridge), ms(p.raw), formatRatio(p.bridge / p.raw)],
      ['local send, 1 receiver, with a broadcast relay', formatNs(r.with), formatNs(r.without), formatRatio(r.ratio)],
      [
        'group delivery (XADD → XREADGROUP → receiver → XACK), events/s',
        formatRate(g.bridge),
        formatRate(g.raw),
        formatRatio(g.bridge / g.raw),
      ],
    ],
  );
}
