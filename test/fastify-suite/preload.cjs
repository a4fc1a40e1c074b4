'use strict';
/**
 * Loaded with `node --require` before each of Fastify's test files (see run.mjs). When a test
 * loads the `fastify` factory, it gets one that registers `signalsPlugin` first on every
 * instance it makes, and connects counting receivers to the three request signals for the whole
 * process. At exit it appends the counters, as one JSON line, to $RX_SIGNALS_SUITE_COUNTS.
 *
 * With RX_SIGNALS_SUITE_PLUGIN=off it changes nothing (the baseline run of a file).
 *
 * @example
 * RX_SIGNALS_SUITE_LIB=.build/lib/index.js RX_SIGNALS_SUITE_COUNTS=/tmp/counts.jsonl \
 *   node --require ./preload.cjs node_modules/fastify/test/close.test.js
 */
const { appendFileSync } = require('node:fs');

if (process.env.RX_SIGNALS_SUITE_PLUGIN !== 'off') {
  const Module = require('node:module');
  const fastifyPath = require.resolve('fastify', { paths: [__dirname] });
  const { signalsPlugin, requestStarted, gotRequestException, requestFinished } = require(
    process.env.RX_SIGNALS_SUITE_LIB,
  );

  /** The factory the test files get: Fastify's, with the plugin registered first. */
  function withSignals(fastify) {
    const factory = function fastifyWithSignals(...args) {
      const app = fastify(...args);
      app.register(signalsPlugin);
      counts.apps++;
      return app;
    };
    for (const key of Object.keys(fastify)) factory[key] = fastify[key];
    factory.fastify = factory;
    factory.default = factory;
    return factory;
  }

  // Fastify is swapped when a test first loads it, not here: some test files stub Fastify's
  // internal modules before they load it, and loading it early would defeat their stubs.
  const load = Module._load;
  Module._load = function loadWithSignals(request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    const cached = Module._cache[fastifyPath];
    if (cached === undefined || (exports !== cached.exports && exports !== cached.rxSignalsReal)) return exports;
    if (cached.rxSignalsReal === undefined) {
      cached.rxSignalsReal = cached.exports;
      cached.exports = withSignals(cached.exports); // also what a later `import` of it gets
    }
    return cached.exports;
  };

  const counts = {
    files: 1,
    apps: 0,
    started: 0,
    finished: 0,
    exceptions: 0,
    completed: 0,
    errored: 0,
    aborted: 0,
    timeout: 0,
    startedTwice: 0,
    finishedTwice: 0,
    finishedWithoutStart: 0,
    exceptionAfterFinish: 0,
    exceptionWithoutStart: 0,
    completedNotEnded: 0,
    unfinishedAtExit: 0,
    unfinishedButResponded: 0,
  };
  /** What each request has been sent so far. */
  const requests = new WeakMap();
  /** Requests started and not finished yet (with their replies), to judge them at exit. */
  const inFlight = new Map();

  requestStarted.connect(function countStart({ request, reply }) {
    counts.started++;
    if (requests.has(request)) counts.startedTwice++;
    else requests.set(request, { finished: false });
    inFlight.set(request, reply);
  });
  gotRequestException.connect(function countException({ request }) {
    counts.exceptions++;
    const seen = requests.get(request);
    if (seen === undefined) counts.exceptionWithoutStart++;
    else if (seen.finished) counts.exceptionAfterFinish++;
  });
  requestFinished.connect(function countFinish({ request, reply, outcome }) {
    counts.finished++;
    counts[outcome]++;
    const seen = requests.get(request);
    if (seen === undefined) counts.finishedWithoutStart++;
    else if (seen.finished) counts.finishedTwice++;
    else seen.finished = true;
    inFlight.delete(request);
    if (outcome === 'completed' && !reply.raw.writableEnded) counts.completedNotEnded++;
  });

  process.on('exit', () => {
    counts.unfinishedAtExit = inFlight.size;
    // Still in flight is fine for a response nobody ended (a test that stops there); one that
    // went out in full should have finished.
    counts.unfinishedButResponded = [...inFlight.values()].filter((reply) => reply.raw.writableFinished).length;
    if (process.env.RX_SIGNALS_SUITE_COUNTS)
      appendFileSync(process.env.RX_SIGNALS_SUITE_COUNTS, `${JSON.stringify(counts)}\n`);
  });
}
