import { PANEL_PATHS } from './protocol';

/**
 * The panel's HTML page. `base` (the panel's full prefix: URL-safe characters only) is the only
 * value written into it; everything shown later arrives over the event stream and is inserted
 * as text, never as HTML. The receivers table comes first: it answers "which receiver slows my
 * requests?".
 *
 * @example
 * reply.type('text/html').send(panelPage('/_signals'));
 * @internal
 */
export function panelPage(base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rx-signals panel</title>
<link rel="stylesheet" href="${base}${PANEL_PATHS.style}">
<link rel="icon" href="data:,">
</head>
<body data-base="${base}">
<header>
  <h1>rx-signals <span>panel</span></h1>
  <span id="status" class="status connecting">connecting…</span>
  <div class="figures">
    <span class="figure"><b id="throughput">0</b> req/s</span>
    <span class="figure"><b id="error-rate">0.0 %</b> failed</span>
    <span class="figure"><b id="in-flight">0</b> in flight</span>
    <span class="figure"><b id="p99">—</b> p99</span>
    <span class="figure"><b id="status-4xx">0</b> 4xx</span>
    <span class="figure"><b id="status-5xx">0</b> 5xx</span>
    <span class="figure muted" id="stats-window">rolling window</span>
  </div>
</header>
<main>
  <section class="card wide">
    <h2>Receivers <small>slowest first · times until a returned Promise settles · since the page opened</small></h2>
    <div class="scroll"><table id="receivers">
      <thead><tr><th>receiver</th><th>signal</th><th class="num">calls</th><th class="num">errors</th><th class="num">p50</th><th class="num">p95</th><th>p95, log scale</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>
  <section class="card wide" id="cluster-card" hidden>
    <h2>Instances <small>figures each instance relays about once a second</small></h2>
    <div class="scroll"><table id="cluster">
      <thead><tr><th>instance</th><th class="num">req/s</th><th class="num">failed</th><th class="num">p95</th><th class="num">in flight</th><th class="num">last seen</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>
  <section class="card">
    <h2>Latest requests <small>click one for its timeline</small></h2>
    <div class="scroll"><table id="recent">
      <thead><tr><th>time</th><th>method</th><th>route</th><th class="num">status</th><th>outcome</th><th class="num">time</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>
  <section class="card">
    <h2>Request timeline <small id="timeline-size"></small></h2>
    <div id="timeline"></div>
  </section>
  <section class="card">
    <h2>Latency <small id="percentiles"></small></h2>
    <svg id="histogram" role="img" aria-label="Latency histogram, log scale" viewBox="0 0 600 112" preserveAspectRatio="xMinYMin meet"></svg>
  </section>
  <section class="card">
    <h2>Latency by route <small>p50 ▮ p95 ▯ slowest | on a log scale</small></h2>
    <svg id="routes" role="img" aria-label="Latency by route" viewBox="0 0 600 40" preserveAspectRatio="xMinYMin meet"></svg>
    <p id="routes-empty" class="muted">No requests yet.</p>
  </section>
  <section class="card wide">
    <h2>Receiver errors <small>latest first · never stacks or paths</small></h2>
    <div class="scroll"><table id="errors">
      <thead><tr><th>time</th><th>where</th><th>error</th><th>message</th></tr></thead>
      <tbody></tbody>
    </table></div>
  </section>
  <section class="card wide">
    <h2>Lanes <small>each dot one event, newest on the right · <span id="lanes-window"></span></small></h2>
    <svg id="lanes" role="img" aria-label="Signal lanes" viewBox="0 0 1000 200" preserveAspectRatio="xMinYMin meet"></svg>
    <div class="legend">
      <span><i class="dot started"></i>started</span>
      <span><i class="dot completed"></i>completed</span>
      <span><i class="dot failing"></i>failing (errored, timeout, 5xx, exception)</span>
      <span><i class="dot aborted"></i>aborted</span>
      <span><i class="dot other"></i>other signals</span>
      <span id="dropped" class="muted"></span>
    </div>
  </section>
  <section class="card wide">
    <h2>Signals and connections <small>in connection order</small></h2>
    <div id="signals" class="signals"></div>
  </section>
</main>
<footer class="muted">Shows method, route pattern, status, outcome and timing only: never headers, bodies, URLs or query strings.</footer>
<script src="${base}${PANEL_PATHS.script}"></script>
</body>
</html>
`;
}
