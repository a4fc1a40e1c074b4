'use strict';
/**
 * Runs one error-isolation scenario in a plain Node process, with Node's default handling of
 * `uncaughtException` and `unhandledRejection`: either of them kills this process (exit code 1,
 * the error on stderr). Surviving, it prints one JSON line: { survived: true, reports: [...] }.
 *
 * Usage: node isolation-child.js <compiled lib dir> <scenario>
 * (spawned by error-isolation.spec.ts, which compiles lib/ for it).
 *
 * @example
 * node spec/core/support/isolation-child.js /tmp/lib robust-throw
 */
const path = require('node:path');
const { Subject, BehaviorSubject, map, tap, delay, debounceTime } = require('rxjs');

const [libDir, scenarioName] = process.argv.slice(2);
const { Signal } = require(path.join(libDir, 'core', 'signal.js'));
const { receiverErrors } = require(path.join(libDir, 'core', 'receiver-errors.js'));
const { pausable } = require(path.join(libDir, 'core', 'pausable.js'));

const reports = [];
const observeReports = () =>
  receiverErrors.subscribe((report) => reports.push(String(report.error && report.error.message)));

/** Resolves after `rounds` turns of the event loop: anything queued as a macrotask before has run. */
async function macrotasks(rounds) {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Waits (one loop turn at a time) until `condition()` holds. */
async function until(condition) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

const fail = (message) => () => {
  throw new Error(message);
};
const rejectSoon = (message) => () =>
  new Promise((_resolve, reject) => setTimeout(() => reject(new Error(message)), 1));

/** Each scenario does its damage and resolves once every failure it caused should have been reported. */
const scenarios = {
  // --- Through the layer: nothing may escape. ---
  async 'send-robust-throw'() {
    observeReports();
    const signal = new Signal('robust');
    signal.connect(fail('robust receiver'));
    signal.sendRobust('app', { n: 1 });
  },
  async 'send-rejected-promise'() {
    observeReports();
    const signal = new Signal('rejected');
    signal.connect(rejectSoon('send: rejected later'));
    signal.connect(async () => {
      throw new Error('send: rejected at once');
    });
    signal.send('app', { n: 1 });
    signal.sendRobust('app', { n: 2 });
    await until(() => reports.length === 4);
  },
  async 'asend-failures'() {
    observeReports();
    const signal = new Signal('async');
    signal.connect(rejectSoon('asend: earliest'));
    signal.connect(fail('asend: later, sync'));
    signal.connect(async () => {
      throw new Error('asend: later, async');
    });
    await signal.asend('app', { n: 1 }).catch(() => undefined); // the caller handles its rejection
    await signal.asendRobust('app', { n: 2 });
  },
  async 'operator-error'() {
    observeReports();
    const signal = new Signal('operator');
    signal.connect(() => undefined, { pipe: map(fail('operator during send')) });
    signal.connect(() => undefined, { pipe: tap(fail('operator during robust send')) });
    signal.send('app', { n: 1 });
    signal.connect(() => undefined, { pipe: map(fail('operator during asend')) });
    await signal.asend('app', { n: 2 });
  },
  async 'operator-error-later'() {
    observeReports();
    const signal = new Signal('operator-later');
    signal.connect(() => undefined, { pipe: [delay(1), map(fail('operator after a delay'))] });
    signal.send('app', { n: 1 });
    await until(() => reports.length === 1);
  },
  async 'receiver-called-later'() {
    observeReports();
    const signal = new Signal('later');
    signal.connect(fail('after a delay'), { pipe: delay(1) });
    signal.connect(fail('after a debounce'), { pipe: debounceTime(1) });
    signal.connect(rejectSoon('rejected after a delay'), { pipe: delay(1) });
    signal.send('app', { n: 1 });
    await until(() => reports.length === 3);
  },
  async 'resumed-pause'() {
    observeReports();
    const signal = new Signal('paused');
    const paused$ = new BehaviorSubject(true);
    signal.connect(fail('on resume'), { pipe: pausable(paused$, { buffer: 2 }) });
    signal.connect(rejectSoon('rejected on resume'), { pipe: pausable(paused$, { buffer: 2 }) });
    signal.send('app', { n: 1 });
    paused$.next(false);
    const control = new Subject();
    signal.connect(() => undefined, { pipe: pausable(control) });
    control.error(new Error('paused$ errored'));
    await until(() => reports.length === 3);
  },
  async 'hostile-responses'() {
    // Responses whose `then` cannot be read, in every send mode and piped, now and later.
    observeReports();
    const unreadable = () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return [
        proxy,
        new Proxy({}, { get: fail('get trap') }),
        {
          get then() {
            throw new Error('then getter');
          },
        },
      ];
    };
    const signal = new Signal('hostile');
    const paused$ = new BehaviorSubject(true);
    for (const response of unreadable()) {
      signal.connect(() => response, { dispatchUid: Symbol('plain') });
      signal.connect(() => response, { pipe: map((event) => event), dispatchUid: Symbol('mapped') });
      signal.connect(() => response, { pipe: delay(1), dispatchUid: Symbol('delayed') });
      signal.connect(() => response, { pipe: pausable(paused$, { buffer: 4 }), dispatchUid: Symbol('paused') });
    }
    let after = 0;
    signal.connect(() => after++);
    signal.send('app', { n: 1 });
    signal.sendRobust('app', { n: 2 });
    // Awaited, such a response fails as with `await`: asend rejects with the first, reports the rest.
    const rejection = await signal.asend('app', { n: 3 }).then(
      () => 'resolved',
      (error) => error.message,
    );
    await signal.asendRobust('app', { n: 4 });
    paused$.next(false);
    await macrotasks(2); // the delayed deliveries
    const reported = reports.length;
    reports.length = 0;
    reports.push(
      `asend: ${rejection}; ${reported} reported; later receivers called ${after} times; ${signal.receivers().length} connections left`,
    );
  },
  async 'hostile-receiver-name'() {
    // Nobody listens to receiverErrors and the receiver's name cannot be read: the fallback still writes.
    const signal = new Signal('badly-named');
    const receiver = fail('badly named receiver');
    Object.defineProperty(receiver, 'name', { get: fail('name getter') });
    signal.connect(receiver);
    signal.connect(new Proxy(fail('proxied receiver'), { get: fail('get trap') }), { pipe: delay(1) });
    signal.sendRobust('app', { n: 1 });
  },
  async 'no-report-subscriber'() {
    // Nobody listens to receiverErrors: the fallback writes to console.error, nothing crashes.
    const signal = new Signal('unobserved');
    signal.connect(fail('unobserved receiver'));
    signal.connect(() => undefined, { pipe: map(fail('unobserved operator')) });
    signal.sendRobust('app', { n: 1 });
  },
  async 'report-subscriber-throws'() {
    // A receiverErrors subscriber is a raw RxJS observer: when it throws, RxJS rethrows
    // asynchronously (a known, documented limit; see the spec).
    receiverErrors.subscribe(() => {
      throw new Error('a receiverErrors subscriber failed');
    });
    const signal = new Signal('tap');
    signal.connect(fail('reported receiver'));
    signal.sendRobust('app', { n: 1 });
  },

  // --- Controls: unprotected code that must crash, proving the detector can fail. ---
  async 'control-raw-subject-pipe'() {
    const subject = new Subject();
    subject.pipe(map(fail('raw subject pipe'))).subscribe();
    subject.next(1);
  },
  async 'control-raw-signal-pipe'() {
    const signal = new Signal('raw');
    signal.pipe(map(fail('raw signal pipe'))).subscribe();
    signal.send('app', { n: 1 });
  },
  async 'control-unhandled-rejection'() {
    Promise.reject(new Error('unhandled rejection'));
  },
};

const scenario = scenarios[scenarioName];
if (!scenario) {
  console.error(`unknown scenario "${scenarioName}"; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
scenario()
  .then(() => macrotasks(5)) // past RxJS's setTimeout rethrow and Node's unhandled-rejection check
  .then(() => {
    process.stdout.write(`${JSON.stringify({ survived: true, reports })}\n`);
  });
