import { LATENCY_BUCKETS_MS, type RouteView, type StatsMessage } from '../protocol';
import { byId, clear, svg, svgById } from './dom';
import { bucketLabel, formatMs, formatPercent, logShare } from './format';

const WIDTH = 580;
const LEFT = 10;

/**
 * The per-route latency chart: p50 and p95 bars and the slowest request, on a log scale so a
 * 1 ms route and a 1 s one stay readable together.
 *
 * @example
 * renderRoutes(routesMessage);
 */
export function renderRoutes(routes: readonly RouteView[]): void {
  const root = svgById('routes');
  clear(root);
  const sorted = [...routes].sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
  byId('routes-empty').style.display = sorted.length > 0 ? 'none' : '';
  const rowHeight = 40;
  root.setAttribute('viewBox', `0 0 600 ${Math.max(40, sorted.length * rowHeight + 6)}`);
  const top = Math.max(1, ...sorted.map((route) => route.maxMs));
  sorted.forEach((route, row) => {
    const y = row * rowHeight + 4;
    const group = svg('g', {
      class: `route-row${route.failed > 0 ? ' failing' : ''}`,
      'data-route': route.route,
      'data-requests': route.requests,
      'data-failed': route.failed,
    });
    group.appendChild(svg('text', { x: LEFT, y: y + 11, class: 'route-label' }, route.route));
    const figures =
      `p50 ${formatMs(route.p50)} · p95 ${formatMs(route.p95)} · ${route.requests} req` +
      (route.failed > 0 ? ` · ${route.failed} failed` : '');
    group.appendChild(
      svg('text', { x: LEFT + WIDTH, y: y + 11, 'text-anchor': 'end', class: 'route-figures' }, figures),
    );
    const bar = (ms: number) => Math.max(2, logShare(ms, top) * WIDTH).toFixed(1);
    group.appendChild(svg('rect', { x: LEFT, y: y + 17, width: bar(route.p95), height: 14, rx: 2, class: 'p95' }));
    group.appendChild(svg('rect', { x: LEFT, y: y + 17, width: bar(route.p50), height: 14, rx: 2, class: 'p50' }));
    const maxX = (LEFT + logShare(route.maxMs, top) * WIDTH).toFixed(1);
    group.appendChild(svg('line', { x1: maxX, x2: maxX, y1: y + 15, y2: y + 33, class: 'max' }));
    root.appendChild(group);
  });
}

/**
 * The header's figures (throughput, failures, in flight, p99, 4xx/5xx) and the latency
 * histogram over the window (log-scale buckets).
 *
 * @example
 * renderStats(statsMessage);
 */
export function renderStats(stats: StatsMessage): void {
  byId('throughput').textContent = stats.perSecond.toFixed(1);
  byId('error-rate').textContent = formatPercent(stats.errorRate);
  byId('error-rate').parentElement!.className = `figure${stats.failed > 0 ? ' bad' : ''}`;
  byId('in-flight').textContent = String(stats.inFlight);
  byId('p99').textContent = formatMs(stats.p99Ms);
  byId('status-4xx').textContent = String(stats.status4xx);
  byId('status-5xx').textContent = String(stats.status5xx);
  byId('status-5xx').parentElement!.className = `figure${stats.status5xx > 0 ? ' bad' : ''}`;
  byId('stats-window').textContent = `last ${Math.round(stats.windowMs / 1000)} s`;
  byId('percentiles').textContent =
    `p50 ${formatMs(stats.p50Ms)} · p95 ${formatMs(stats.p95Ms)} · p99 ${formatMs(stats.p99Ms)} · ${stats.requests} requests`;
  renderHistogram(stats.histogram);
}

function renderHistogram(histogram: readonly number[]): void {
  const root = svgById('histogram');
  clear(root);
  const buckets = LATENCY_BUCKETS_MS.length + 1;
  const barWidth = 600 / buckets;
  const top = Math.max(1, ...histogram);
  for (let index = 0; index < buckets; index++) {
    const count = histogram[index] ?? 0;
    const height = count === 0 ? 0 : Math.max(2, (count / top) * 80);
    const x = index * barWidth;
    const group = svg('g', { class: 'bucket', 'data-bucket': bucketLabel(index), 'data-count': count });
    group.appendChild(
      svg('rect', {
        x: (x + 2).toFixed(1),
        y: (90 - height).toFixed(1),
        width: (barWidth - 4).toFixed(1),
        height: height.toFixed(1),
        rx: 2,
      }),
    );
    group.appendChild(
      svg(
        'text',
        { x: (x + barWidth / 2).toFixed(1), y: 106, 'text-anchor': 'middle', class: 'axis' },
        bucketLabel(index).replace('≤ ', '').replace(' ', ''),
      ),
    );
    if (count > 0)
      group.appendChild(
        svg(
          'text',
          { x: (x + barWidth / 2).toFixed(1), y: (86 - height).toFixed(1), 'text-anchor': 'middle', class: 'count' },
          String(count),
        ),
      );
    group.appendChild(svg('title', {}, `${count} requests ${bucketLabel(index)}`));
    root.appendChild(group);
  }
}
