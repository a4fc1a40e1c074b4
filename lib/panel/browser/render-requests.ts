import type { LaneEvent, TimelineView } from '../protocol';
import { byId, clear, fillRows, html, tableRow } from './dom';
import { formatMs } from './format';

/**
 * The latest finished requests, newest first. A row with a request number opens that request's
 * timeline on click (or Enter).
 *
 * @example
 * renderRecent(state.recent, (request) => openTimeline(request));
 */
export function renderRecent(recent: readonly LaneEvent[], open: (request: number) => void): void {
  const body = byId<HTMLTableElement>('recent').tBodies[0];
  fillRows(body, recent, 6, 'No requests yet.', (event) => {
    const row = tableRow(
      [
        new Date(event.at).toLocaleTimeString(),
        event.method ?? '',
        [event.route ?? '', 'name'],
        [event.statusCode === null || event.statusCode === undefined ? '—' : String(event.statusCode), 'num'],
        event.outcome ?? '',
        [formatMs(event.elapsedMs), 'num'],
      ],
      `request-row${event.failing ? ' failing' : ''}`,
    );
    row.setAttribute('data-route', event.route ?? '');
    row.setAttribute('data-outcome', event.outcome ?? '');
    const request = event.request;
    if (request !== undefined) {
      row.setAttribute('data-request', String(request));
      row.tabIndex = 0;
      row.title = 'Show this request’s timeline';
      row.addEventListener('click', () => open(request));
      row.addEventListener('keydown', (key) => {
        if (key.key === 'Enter') open(request);
      });
    }
    return row;
  });
}

/**
 * One request's own timeline: its events in order with the receivers that ran for each and
 * their times, and its templates.
 *
 * @example
 * renderTimeline(await (await fetch(`${base}/requests/7`)).json());
 */
export function renderTimeline(timeline: TimelineView): void {
  const root = byId('timeline');
  clear(root);
  root.setAttribute('data-request', String(timeline.request));
  const status = timeline.statusCode === null ? 'no status' : String(timeline.statusCode);
  root.appendChild(
    html(
      'p',
      'timeline-head',
      `#${timeline.request} ${timeline.method} ${timeline.route} · ${status} · ${timeline.outcome ?? 'in flight'} · ${formatMs(timeline.elapsedMs)}`,
    ),
  );
  const list = root.appendChild(html('ol', 'timeline-events'));
  for (const event of timeline.events) {
    const item = list.appendChild(html('li', 'timeline-event', undefined, { 'data-signal': event.signal }));
    const head = item.appendChild(html('div', 'event-head'));
    head.appendChild(html('span', 'event-at', `+${formatMs(event.atMs)}`));
    head.appendChild(html('b', '', event.signal));
    if (event.template !== undefined) head.appendChild(html('span', 'badge', event.template));
    const calls = item.appendChild(html('ul', 'timeline-calls'));
    if (event.calls.length === 0) calls.appendChild(html('li', 'muted', 'no receiver ran'));
    for (const call of event.calls) {
      const line = calls.appendChild(
        html('li', `timeline-call${call.failed ? ' failing' : ''}`, undefined, { 'data-receiver': call.receiver }),
      );
      line.appendChild(html('span', 'name', call.receiver));
      line.appendChild(html('span', 'num', call.ms === null ? 'running' : formatMs(call.ms)));
      if (call.failed) line.appendChild(html('span', 'badge bad', 'failed'));
    }
  }
  if (timeline.templates.length > 0)
    root.appendChild(html('p', 'muted', `Templates: ${timeline.templates.join(', ')}`));
  if (timeline.truncated)
    root.appendChild(html('p', 'muted', 'Cut short: the request sent more than the panel keeps.'));
}

/**
 * Says why a timeline cannot be shown (too old, or the panel keeps none).
 *
 * @example
 * renderTimelineMissing(7, 'Only the latest 50 requests have a timeline.');
 */
export function renderTimelineMissing(request: number, why: string): void {
  const root = byId('timeline');
  clear(root);
  root.setAttribute('data-request', String(request));
  root.appendChild(html('p', 'muted', `#${request}: ${why}`));
}

/** Clears the timeline card back to its hint. */
export function renderTimelineHint(): void {
  const root = byId('timeline');
  clear(root);
  root.removeAttribute('data-request');
  root.appendChild(html('p', 'muted', 'Click a request to see its events and the receivers that ran for it.'));
}
