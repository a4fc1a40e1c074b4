/**
 * The panel's stylesheet, served at `<prefix>/panel.css` (no CDN, no web fonts).
 *
 * @example
 * reply.type('text/css').send(PANEL_STYLE);
 * @internal
 */
export const PANEL_STYLE = `
:root {
  --bg: #0f1419; --card: #171e26; --line: #263241; --text: #d8dee6; --muted: #7d8a99;
  --started: #5aa9ff; --completed: #3fcf8e; --failing: #ff5c5c; --aborted: #9aa5b1; --other: #c38cff;
  --p50: #5aa9ff; --p95: #2b5580;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; align-items: center; gap: 16px; padding: 12px 20px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
h1 { font-size: 18px; margin: 0; font-weight: 600; }
h1 span { color: var(--muted); font-weight: 400; }
h2 { font-size: 14px; margin: 0 0 8px; font-weight: 600; }
h2 small, .muted { color: var(--muted); font-weight: 400; }
.status { padding: 2px 10px; border-radius: 10px; font-size: 12px; background: var(--line); }
.status.live { background: #1d4d36; color: #8ff0c0; }
.status.down { background: #5a1f1f; color: #ffb3b3; }
.figures { display: flex; gap: 18px; margin-left: auto; }
.figure b { font-size: 18px; font-variant-numeric: tabular-nums; }
.figure.bad b { color: var(--failing); }
main { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; padding: 14px 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
.wide { grid-column: 1 / -1; }
svg { width: 100%; height: auto; display: block; }
svg text { fill: var(--text); font: 12px system-ui, sans-serif; }
svg .lane-line { stroke: var(--line); }
svg .lane-label { font-weight: 600; }
svg .lane-count { fill: var(--muted); }
.marble { stroke: var(--bg); stroke-width: 1.5; fill: var(--other); }
.marble.started { fill: var(--started); }
.marble.completed { fill: var(--completed); }
.marble.aborted { fill: var(--aborted); }
.marble.failing { fill: var(--failing); }
.marble.related { stroke: #fff; stroke-width: 2.5; }
.route-row .p50 { fill: var(--p50); }
.route-row .p95 { fill: var(--p95); }
.route-row .max { stroke: var(--muted); stroke-width: 2; }
.route-row.failing .route-label { fill: var(--failing); }
.route-row .route-figures { fill: var(--muted); }
.legend { display: flex; gap: 14px; flex-wrap: wrap; margin-top: 6px; font-size: 12px; color: var(--muted); }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; vertical-align: -1px; }
.dot.started { background: var(--started); } .dot.completed { background: var(--completed); }
.dot.failing { background: var(--failing); } .dot.aborted { background: var(--aborted); } .dot.other { background: var(--other); }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
th.num, td.num { text-align: right; }
td.name { font-weight: 600; }
td.bad, .bad { color: var(--failing); }
td.message { white-space: normal; min-width: 12em; }
tr.request-row { cursor: pointer; }
tr.request-row:hover, tr.request-row:focus { background: var(--line); outline: none; }
td.bar-cell { min-width: 170px; }
.bar { display: inline-block; width: 110px; height: 10px; margin-left: 8px; vertical-align: middle; background: var(--line); border-radius: 5px; overflow: hidden; }
.bar i { display: block; height: 100%; background: var(--p50); }
tr.empty td { white-space: normal; }
#histogram rect { fill: var(--p50); }
#histogram .axis, #histogram .count { fill: var(--muted); font-size: 10px; }
.timeline-head { margin: 0 0 6px; font-weight: 600; }
.timeline-events { margin: 0; padding-left: 18px; }
.timeline-event { margin-bottom: 6px; }
.event-head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.event-at { color: var(--muted); font-variant-numeric: tabular-nums; min-width: 5em; }
.timeline-calls { list-style: none; margin: 2px 0 0; padding-left: 12px; }
.timeline-call { display: flex; gap: 8px; }
.timeline-call .num { color: var(--muted); font-variant-numeric: tabular-nums; }
.timeline-call.failing .name { color: var(--failing); }
.receiver.own { opacity: 0.6; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { color: var(--muted); font-weight: 400; }
tr.failing td { color: var(--failing); }
.signals { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px; }
.signal { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.signal h3 { font-size: 13px; margin: 0 0 6px; display: flex; justify-content: space-between; }
.signal ul { list-style: none; margin: 0; padding: 0; }
.signal li { padding: 2px 0; display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.badge { font-size: 11px; padding: 0 6px; border-radius: 8px; background: var(--line); color: var(--muted); }
.badge.paused { background: #5a4a1f; color: #ffd98a; }
.badge.live { background: #1d4d36; color: #8ff0c0; }
footer { padding: 0 20px 16px; font-size: 12px; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
@media (max-width: 600px) {
  header { padding: 10px 12px; gap: 8px; }
  .figures { margin-left: 0; gap: 10px; flex-wrap: wrap; }
  main { padding: 10px 8px; gap: 10px; }
  .card { padding: 10px; }
  th, td { padding: 3px 4px; }
  .signals { grid-template-columns: 1fr; }
}
`;
