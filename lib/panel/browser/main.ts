/**
 * The panel page's script (bundled into `<prefix>/panel.js` at build time): it listens to
 * `<prefix>/events` and redraws each part of the page from the messages of `../protocol`.
 * Everything arrives as data and is inserted as text, never as HTML.
 */
import { LANE_WINDOW_MS, MAX_BATCH, PANEL_PATHS, type PanelMessages, type TimelineView } from '../protocol';
import { byId } from './dom';
import { renderLanes } from './render-lanes';
import { renderRoutes, renderStats } from './render-latency';
import { renderRecent, renderTimeline, renderTimelineHint, renderTimelineMissing } from './render-requests';
import { renderCluster, renderErrors, renderReceivers, renderSignals } from './render-tables';
import { PageState } from './state';

const base = document.body.getAttribute('data-base') ?? '';
const state = new PageState();
let highlighted: number | null = null;
let errorMessages = true;

const serverNow = () => Date.now() + state.offset;
const drawLanes = () => renderLanes(state, serverNow(), highlighted);

function setStatus(text: string, kind: 'live' | 'down' | 'connecting'): void {
  const status = byId('status');
  status.textContent = text;
  status.className = `status ${kind}`;
}

async function openTimeline(request: number): Promise<void> {
  highlighted = request;
  drawLanes();
  try {
    const response = await fetch(`${base}${PANEL_PATHS.requests}/${request}`, {
      headers: { accept: 'application/json' },
    });
    const body: unknown = await response.json();
    if (response.ok) renderTimeline(body as TimelineView);
    else renderTimelineMissing(request, (body as { error?: string }).error ?? `HTTP ${response.status}`);
  } catch {
    renderTimelineMissing(request, 'the panel did not answer.');
  }
}

const source = new EventSource(`${base}${PANEL_PATHS.events}`);

/** Listens to one message of the protocol, typed by its name. */
function on<K extends keyof PanelMessages>(name: K, handle: (message: PanelMessages[K]) => void): void {
  source.addEventListener(name, (message) =>
    handle(JSON.parse((message as MessageEvent<string>).data) as PanelMessages[K]),
  );
}

on('hello', (hello) => {
  // A (re)connection starts from the server's current state.
  state.reset(hello.now - Date.now());
  errorMessages = hello.errorMessages;
  byId('stats-window').textContent = `last ${Math.round(hello.statsWindowMs / 1000)} s`;
  byId('timeline-size').textContent = hello.timelineRequests > 0 ? `the latest ${hello.timelineRequests}` : 'none kept';
  setStatus('live', 'live');
});
on('signals', (signals) => {
  state.signals = signals;
  renderSignals(signals);
  drawLanes();
});
on('lanes', (batch) => {
  state.offset = batch.now - Date.now();
  state.addEvents(batch.events);
  if (batch.dropped > 0) {
    state.dropped += batch.dropped;
    byId('dropped').textContent = `${state.dropped} events not drawn (bursts beyond ${MAX_BATCH} per update)`;
  }
  drawLanes();
  renderRecent(state.recent, (request) => void openTimeline(request));
});
on('routes', renderRoutes);
on('stats', renderStats);
on('receivers', renderReceivers);
on('errors', (errors) => renderErrors(errors, errorMessages));
on('cluster', renderCluster);
on('bye', () => setStatus('server closed', 'down'));
source.onerror = () => {
  setStatus(
    source.readyState === EventSource.CLOSED ? 'disconnected (too many viewers, or refused)' : 'reconnecting…',
    'down',
  );
};

byId('lanes').addEventListener('mouseover', (event) => {
  const request = (event.target as Element).getAttribute?.('data-request');
  highlighted = request ? Number(request) : null;
  drawLanes();
});
byId('lanes').addEventListener('click', (event) => {
  const request = (event.target as Element).getAttribute?.('data-request');
  if (request) void openTimeline(Number(request));
});
byId('lanes-window').textContent = `last ${LANE_WINDOW_MS / 1000} s`;
renderTimelineHint();
setInterval(drawLanes, 250); // dots drift left as time passes
drawLanes();
renderRoutes([]);
