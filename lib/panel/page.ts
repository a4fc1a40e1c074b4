/**
 * The panel's HTML page. `base` (the validated prefix, URL-safe characters only) is the only
 * value written into it; everything shown later arrives over the event stream and is inserted
 * as text, never as HTML.
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
<link rel="stylesheet" href="${base}/panel.css">
<link rel="icon" href="data:,">
</head>
<body data-base="${base}">
<header>
  <h1>rx-signals <span>panel</span></h1>
  <span id="status" class="status connecting">connecting…</span>
  <div class="figures">
    <span class="figure"><b id="throughput">0</b> req/s</span>
    <span class="figure"><b id="error-rate">0 %</b> failed</span>
    <span class="figure muted" id="stats-window">rolling window</span>
  </div>
</header>
<main>
  <section class="card wide">
    <h2>Lanes <small>each dot one event, newest on the right · last 15 s</small></h2>
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
  <section class="card">
    <h2>Latency by route <small>p50 ▮ p95 ▯ of recent requests</small></h2>
    <svg id="routes" role="img" aria-label="Latency by route" viewBox="0 0 600 40" preserveAspectRatio="xMinYMin meet"></svg>
    <p id="routes-empty" class="muted">No requests yet.</p>
  </section>
  <section class="card">
    <h2>Latest requests</h2>
    <table id="recent">
      <thead><tr><th>time</th><th>method</th><th>route</th><th>status</th><th>outcome</th><th>ms</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section class="card wide">
    <h2>Signals and receivers <small>in connection order</small></h2>
    <div id="signals" class="signals"></div>
  </section>
</main>
<footer class="muted">Shows method, route pattern, status, outcome and timing only: never headers, bodies, URLs or query strings.</footer>
<script src="${base}/panel.js"></script>
</body>
</html>
`;
}
