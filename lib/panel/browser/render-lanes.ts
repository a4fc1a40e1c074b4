import { LANE_WINDOW_MS } from '../protocol';
import { clear, svg, svgById } from './dom';
import { describeEvent, kindOf } from './format';
import type { PageState } from './state';

const ROW_HEIGHT = 34;
const LEFT = 190;
const RIGHT = 990;
const TOP = 8;

/**
 * Draws one lane per signal with a dot per event of the last {@link LANE_WINDOW_MS}; the dots
 * of request `highlighted` are outlined.
 *
 * @example
 * renderLanes(state, Date.now() + state.offset, null);
 */
export function renderLanes(state: PageState, now: number, highlighted: number | null): void {
  const root = svgById('lanes');
  state.trimLanes(now);
  const names = state.laneNames();
  root.setAttribute('viewBox', `0 0 1000 ${TOP + names.length * ROW_HEIGHT + 18}`);
  clear(root);
  const from = now - LANE_WINDOW_MS;
  names.forEach((name, row) => {
    const y = TOP + row * ROW_HEIGHT + ROW_HEIGHT / 2;
    const group = svg('g', { class: 'lane', 'data-signal': name });
    group.appendChild(svg('text', { x: 4, y: y - 2, class: 'lane-label' }, name));
    group.appendChild(svg('text', { x: 4, y: y + 12, class: 'lane-count' }, `${state.counts.get(name) ?? 0} events`));
    group.appendChild(svg('line', { x1: LEFT, x2: RIGHT, y1: y, y2: y, class: 'lane-line' }));
    for (const event of state.lanes.get(name) ?? []) {
      const x = LEFT + ((event.at - from) / LANE_WINDOW_MS) * (RIGHT - LEFT);
      const related = highlighted !== null && event.request === highlighted ? ' related' : '';
      const dot = svg('circle', {
        cx: x.toFixed(1),
        cy: y,
        r: 6,
        class: `marble ${kindOf(event)}${related}`,
        'data-outcome': event.outcome ?? '',
        'data-request': event.request ?? '',
        'data-route': event.route ?? '',
      });
      dot.appendChild(svg('title', {}, describeEvent(event)));
      group.appendChild(dot);
    }
    root.appendChild(group);
  });
  const axisY = TOP + names.length * ROW_HEIGHT + 12;
  root.appendChild(svg('text', { x: LEFT, y: axisY, class: 'lane-count' }, `-${LANE_WINDOW_MS / 1000} s`));
  root.appendChild(svg('text', { x: RIGHT - 24, y: axisY, class: 'lane-count' }, 'now'));
}
