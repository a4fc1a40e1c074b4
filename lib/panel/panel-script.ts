/**
 * The panel page's script, served at `<prefix>/panel.js`: plain browser JavaScript, no
 * dependencies. It listens to `<prefix>/events` (Server-Sent Events) and redraws the lanes,
 * the latency chart, the latest requests and the receivers list. Values are inserted with
 * `textContent`/`setAttribute` only, never as HTML.
 *
 * @example
 * reply.type('text/javascript').send(PANEL_SCRIPT);
 * @internal
 */
export const PANEL_SCRIPT = String.raw`(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var LANE_WINDOW_MS = 15000;
  var MAX_PER_LANE = 400;
  var MAX_RECENT = 15;
  var base = document.body.getAttribute('data-base');

  var state = {
    offset: 0,          // server clock minus page clock
    signals: [],        // [{ name, receivers: [...] }]
    lanes: {},          // signal name -> lane events
    counts: {},         // signal name -> events seen since the page opened
    recent: [],         // latest finished requests, newest first
    routes: [],
    dropped: 0,
    highlighted: null
  };

  function $(id) { return document.getElementById(id); }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function html(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function ms(value) { return value < 10 ? value.toFixed(1) : String(Math.round(value)); }
  function serverNow() { return Date.now() + state.offset; }

  function setStatus(text, kind) {
    var status = $('status');
    status.textContent = text;
    status.className = 'status ' + kind;
  }

  function laneOf(name) {
    if (!state.lanes[name]) { state.lanes[name] = []; state.counts[name] = 0; }
    return state.lanes[name];
  }

  /** started / completed / failing / aborted / other: the colour class of a dot. */
  function kindOf(event) {
    if (event.failing) return 'failing';
    if (event.signal === 'requestStarted') return 'started';
    if (event.outcome === 'aborted') return 'aborted';
    if (event.outcome) return 'completed';
    return 'other';
  }

  function describeEvent(event) {
    var parts = [event.signal];
    if (event.method) parts.push(event.method + ' ' + event.route);
    if (event.statusCode !== undefined) parts.push(event.statusCode === null ? 'no status' : String(event.statusCode));
    if (event.outcome) parts.push(event.outcome);
    if (event.elapsedMs !== undefined) parts.push(ms(event.elapsedMs) + ' ms');
    if (event.request) parts.push('request #' + event.request);
    return parts.join(' · ');
  }

  function addEvents(events) {
    for (var i = 0; i < events.length; i++) {
      var event = events[i];
      var lane = laneOf(event.signal);
      lane.push(event);
      if (lane.length > MAX_PER_LANE) lane.splice(0, lane.length - MAX_PER_LANE);
      state.counts[event.signal]++;
      if (event.outcome) {
        state.recent.unshift(event);
        if (state.recent.length > MAX_RECENT) state.recent.length = MAX_RECENT;
      }
    }
  }

  function laneNames() {
    var names = state.signals.map(function (signal) { return signal.name; });
    for (var name in state.lanes) if (names.indexOf(name) < 0) names.push(name);
    return names;
  }

  function renderLanes() {
    var root = $('lanes');
    var names = laneNames();
    var rowHeight = 34, left = 190, right = 990, top = 8;
    var height = top + names.length * rowHeight + 18;
    root.setAttribute('viewBox', '0 0 1000 ' + height);
    clear(root);
    var now = serverNow();
    var from = now - LANE_WINDOW_MS;
    names.forEach(function (name, row) {
      var y = top + row * rowHeight + rowHeight / 2;
      var group = svg('g', { 'class': 'lane', 'data-signal': name });
      group.appendChild(svg('text', { x: 4, y: y - 2, 'class': 'lane-label' }, name));
      group.appendChild(svg('text', { x: 4, y: y + 12, 'class': 'lane-count' }, (state.counts[name] || 0) + ' events'));
      group.appendChild(svg('line', { x1: left, x2: right, y1: y, y2: y, 'class': 'lane-line' }));
      var lane = state.lanes[name] || [];
      for (var i = 0; i < lane.length; i++) {
        var event = lane[i];
        if (event.at < from) continue;
        var x = left + ((event.at - from) / LANE_WINDOW_MS) * (right - left);
        var classes = 'marble ' + kindOf(event);
        if (state.highlighted !== null && event.request === state.highlighted) classes += ' related';
        var dot = svg('circle', {
          cx: x.toFixed(1), cy: y, r: 6, 'class': classes,
          'data-outcome': event.outcome || '', 'data-request': event.request || '',
          'data-route': event.route || ''
        });
        dot.appendChild(svg('title', {}, describeEvent(event)));
        group.appendChild(dot);
      }
      root.appendChild(group);
    });
    var axisY = top + names.length * rowHeight + 12;
    root.appendChild(svg('text', { x: left, y: axisY, 'class': 'lane-count' }, '-15 s'));
    root.appendChild(svg('text', { x: right - 24, y: axisY, 'class': 'lane-count' }, 'now'));
    for (var n in state.lanes) {
      var list = state.lanes[n];
      while (list.length && list[0].at < from) list.shift();
    }
  }

  function renderRoutes() {
    var root = $('routes');
    clear(root);
    var routes = state.routes.slice().sort(function (a, b) { return a.route < b.route ? -1 : a.route > b.route ? 1 : 0; });
    $('routes-empty').style.display = routes.length ? 'none' : '';
    var rowHeight = 40, left = 10, width = 580;
    root.setAttribute('viewBox', '0 0 600 ' + Math.max(40, routes.length * rowHeight + 6));
    var scale = 1;
    routes.forEach(function (route) { scale = Math.max(scale, route.maxMs); });
    routes.forEach(function (route, row) {
      var y = row * rowHeight + 4;
      var group = svg('g', {
        'class': 'route-row' + (route.failed > 0 ? ' failing' : ''),
        'data-route': route.route, 'data-requests': route.requests, 'data-failed': route.failed
      });
      group.appendChild(svg('text', { x: left, y: y + 11, 'class': 'route-label' }, route.route));
      group.appendChild(svg('text', { x: left + width, y: y + 11, 'text-anchor': 'end', 'class': 'route-figures' },
        'p50 ' + ms(route.p50) + ' ms · p95 ' + ms(route.p95) + ' ms · ' + route.requests + ' req' +
        (route.failed ? ' · ' + route.failed + ' failed' : '')));
      var p95 = Math.max(2, (route.p95 / scale) * width);
      var p50 = Math.max(2, (route.p50 / scale) * width);
      group.appendChild(svg('rect', { x: left, y: y + 17, width: p95.toFixed(1), height: 14, rx: 2, 'class': 'p95' }));
      group.appendChild(svg('rect', { x: left, y: y + 17, width: p50.toFixed(1), height: 14, rx: 2, 'class': 'p50' }));
      var maxX = left + (route.maxMs / scale) * width;
      group.appendChild(svg('line', { x1: maxX.toFixed(1), x2: maxX.toFixed(1), y1: y + 15, y2: y + 33, 'class': 'max' }));
      root.appendChild(group);
    });
  }

  function renderRecent() {
    var body = $('recent').tBodies[0];
    clear(body);
    state.recent.forEach(function (event) {
      var row = html('tr', event.failing ? 'failing' : '');
      row.setAttribute('data-route', event.route);
      row.setAttribute('data-outcome', event.outcome);
      var time = new Date(event.at);
      [time.toLocaleTimeString(), event.method, event.route,
        event.statusCode === null ? '—' : String(event.statusCode), event.outcome, ms(event.elapsedMs)
      ].forEach(function (text) { row.appendChild(html('td', '', text)); });
      body.appendChild(row);
    });
  }

  function renderSignals() {
    var root = $('signals');
    clear(root);
    state.signals.forEach(function (signal) {
      var card = html('div', 'signal');
      card.setAttribute('data-signal', signal.name);
      var title = html('h3');
      title.appendChild(html('span', '', signal.name));
      title.appendChild(html('span', 'muted', signal.receivers.length + ' receiver' + (signal.receivers.length === 1 ? '' : 's')));
      card.appendChild(title);
      var list = html('ul');
      if (signal.receivers.length === 0) list.appendChild(html('li', 'muted', 'no receivers connected'));
      signal.receivers.forEach(function (receiver) {
        var item = html('li', 'receiver');
        item.setAttribute('data-receiver', receiver.name);
        item.setAttribute('data-paused', String(receiver.paused));
        item.appendChild(html('span', 'receiver-name', receiver.name));
        item.appendChild(html('span', 'badge sender', receiver.sender));
        item.appendChild(html('span', 'badge ' + (receiver.paused ? 'paused' : 'live'), receiver.paused ? 'paused' : 'live'));
        if (receiver.dispatchUid !== null) item.appendChild(html('span', 'badge', 'uid ' + receiver.dispatchUid));
        if (receiver.weak) item.appendChild(html('span', 'badge', 'weak'));
        if (receiver.operators) item.appendChild(html('span', 'badge', receiver.operators + ' operator' + (receiver.operators === 1 ? '' : 's')));
        list.appendChild(item);
      });
      card.appendChild(list);
      root.appendChild(card);
    });
  }

  function renderStats(stats) {
    $('throughput').textContent = stats.perSecond.toFixed(1);
    $('error-rate').textContent = (stats.errorRate * 100).toFixed(1) + ' %';
    $('error-rate').parentNode.className = 'figure' + (stats.failed > 0 ? ' bad' : '');
    $('stats-window').textContent = 'last ' + Math.round(stats.windowMs / 1000) + ' s';
  }

  function on(source, name, handle) {
    source.addEventListener(name, function (message) { handle(JSON.parse(message.data)); });
  }

  var source = new EventSource(base + '/events');
  on(source, 'hello', function (hello) {
    // A (re)connection starts from the server's current state.
    state.offset = hello.now - Date.now();
    state.lanes = {}; state.counts = {}; state.recent = []; state.routes = []; state.dropped = 0;
    $('stats-window').textContent = 'last ' + Math.round(hello.statsWindowMs / 1000) + ' s';
    setStatus('live', 'live');
  });
  on(source, 'signals', function (signals) { state.signals = signals; renderSignals(); renderLanes(); });
  on(source, 'lanes', function (batch) {
    state.offset = batch.now - Date.now();
    addEvents(batch.events);
    if (batch.dropped) {
      state.dropped += batch.dropped;
      $('dropped').textContent = state.dropped + ' events not drawn (bursts beyond 500 per update)';
    }
    renderLanes();
    renderRecent();
  });
  on(source, 'routes', function (routes) { state.routes = routes; renderRoutes(); });
  on(source, 'stats', renderStats);
  on(source, 'bye', function () { setStatus('server closed', 'down'); });
  source.onerror = function () {
    setStatus(source.readyState === EventSource.CLOSED ? 'disconnected (too many viewers, or refused)' : 'reconnecting…', 'down');
  };

  $('lanes').addEventListener('mouseover', function (event) {
    var request = event.target.getAttribute && event.target.getAttribute('data-request');
    state.highlighted = request ? Number(request) : null;
    renderLanes();
  });
  setInterval(renderLanes, 250); // dots drift left as time passes
  renderLanes();
  renderRoutes();
})();
`;
