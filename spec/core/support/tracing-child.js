'use strict';
/**
 * Runs sends while a diagnostics-channel subscriber of rx-signals throws, in a plain Node process
 * with a process-level `uncaughtException` handler (Node reports a throwing channel subscriber
 * there, on the next tick). Prints one JSON line: which receivers ran, what each send returned,
 * and the uncaught exceptions Node reported.
 *
 * Usage: node tracing-child.js <compiled lib dir> <scenario>
 * (spawned by tracing-subscriber-throws.spec.ts, which compiles lib/ for it).
 *
 * @example
 * node spec/core/support/tracing-child.js /tmp/lib receiver-start
 */
const path = require('node:path');
const diagnosticsChannel = require('node:diagnostics_channel');
const { AsyncLocalStorage } = require('node:async_hooks');

const [libDir, scenarioName] = process.argv.slice(2);
const { Signal, profileReceivers, receiverErrors } = require(path.join(libDir, 'core', 'index.js'));

const uncaught = [];
process.on('uncaughtException', (error) => uncaught.push(error.message));
const reports = [];
receiverErrors.subscribe((report) => reports.push(report.error.message));

const thrower = (where) => () => {
  throw new Error(`subscriber threw on ${where}`);
};
const PHASES = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

/** Subscribes the scenario's throwing subscriber. */
const scenarios = {
  send: () => diagnosticsChannel.subscribe('rx-signals:send', thrower('send')),
  ...Object.fromEntries(
    PHASES.map((phase) => [
      `receiver-${phase}`,
      () => diagnosticsChannel.subscribe(`tracing:rx-signals:receiver:${phase}`, thrower(phase)),
    ]),
  ),
  'store-transform': () =>
    diagnosticsChannel
      .channel('tracing:rx-signals:receiver:start')
      .bindStore(new AsyncLocalStorage(), thrower('bindStore')),
};

async function main() {
  const subscribe = scenarios[scenarioName];
  if (!subscribe) {
    console.error(`unknown scenario "${scenarioName}"; known: ${Object.keys(scenarios).join(', ')}`);
    process.exit(2);
  }
  subscribe();
  const profiler = profileReceivers(); // the profiler's path, on top of tracing
  const signal = new Signal('traced');
  const ran = [];
  signal.connect(function first({ n }) {
    ran.push(`first ${n}`);
    return n;
  });
  signal.connect(async function second({ n }) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    ran.push(`second ${n}`);
    if (n === 2) throw new Error('second rejected');
    return n;
  });
  signal.connect(function third({ n }) {
    ran.push(`third ${n}`);
    if (n === 3) throw new Error('third threw');
    return n;
  });
  const sent = [];
  sent.push(signal.send('app', { n: 1 }).length);
  sent.push(signal.sendRobust('app', { n: 2 }).length);
  sent.push((await signal.asendRobust('app', { n: 3 })).length);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setImmediate(resolve));
  const calls = profiler
    .snapshot()
    .map(({ receiver, calls, errors }) => `${receiver} ${calls}/${errors}`)
    .sort();
  process.stdout.write(`${JSON.stringify({ ran: ran.sort(), sent, uncaught, reports: reports.sort(), calls })}\n`);
}

main();
