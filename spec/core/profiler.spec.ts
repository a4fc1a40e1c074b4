/**
 * `profileReceivers`: per connection calls, errors, total, p50, p95 and max time (a Promise
 * response timed until it settles), slowest first; several at once; bad input refused.
 */
import { delay } from 'rxjs';
import { BehaviorSubject } from 'rxjs';
import { Signal, pausable, profileReceivers, type ReceiverProfile, type ReceiverProfiler } from '../../lib';
import { startReceiverProfiler } from '../../lib/core/profiler';
import { recordReports } from './support/reports';
import { deferred, macrotasks } from './support/waiting';

recordReports(); // failures of the receivers below are reported, not printed

/** Profilers of the running test, stopped after it whatever happens. */
const running: ReceiverProfiler[] = [];
afterEach(() => running.splice(0).forEach((profiler) => profiler.stop()));
function profile(...args: Parameters<typeof profileReceivers>): ReceiverProfiler {
  const profiler = profileReceivers(...args);
  running.push(profiler);
  return profiler;
}

/** Spins for `ms` milliseconds: a receiver with a known, synchronous cost. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `"receiver calls"` for each profiled connection, sorted. */
function callsByReceiver(profiler: ReceiverProfiler): string[] {
  return profiler
    .snapshot()
    .map((entry) => `${entry.receiver} ${entry.calls}`)
    .sort();
}

function byReceiver(profiles: readonly ReceiverProfile[]): Record<string, ReceiverProfile> {
  return Object.fromEntries(profiles.map((entry) => [entry.receiver, entry]));
}

describe('profileReceivers: what it measures', () => {
  it('counts calls and errors, times Promise responses until they settle, and lists the slowest first', async () => {
    const signal = new Signal<{ n: number }>('orders');
    const profiler = profile(signal);
    signal.connect(function quick() {});
    signal.connect(async function auditLog() {
      await sleep(30);
    });
    signal.connect(function flaky({ n }) {
      if (n % 2 === 0) throw new Error('flaky');
    });
    signal.connect(async function rejecting() {
      throw new Error('rejected');
    });
    for (let n = 1; n <= 4; n++) await signal.asendRobust('app', { n });

    const profiles = profiler.snapshot();
    expect(profiles[0]).toMatchObject({
      signal: 'orders',
      receiver: 'auditLog',
      calls: 4,
      errors: 0,
      pending: 0,
      timedCalls: 4,
    });
    expect(profiles[0].p50Ms).toBeGreaterThanOrEqual(25);
    expect(profiles[0].totalMs).toBeGreaterThanOrEqual(4 * 25);
    expect(profiles[0].maxMs).toBeGreaterThanOrEqual(profiles[0].p95Ms);
    expect(profiles[0].p95Ms).toBeGreaterThanOrEqual(profiles[0].p50Ms);
    const others = byReceiver(profiles);
    expect([others.flaky.calls, others.flaky.errors]).toEqual([4, 2]);
    expect([others.rejecting.calls, others.rejecting.errors]).toEqual([4, 4]);
    expect([others.quick.calls, others.quick.errors]).toEqual([4, 0]);
    expect(profiles.map((entry) => entry.totalMs)).toEqual(
      [...profiles.map((entry) => entry.totalMs)].sort((a, b) => b - a),
    );
  });

  it('counts a call whose Promise is still pending, and times it once it settles', async () => {
    const signal = new Signal('pending');
    const profiler = profile(signal);
    const gate = deferred();
    signal.connect(function waiting() {
      return gate.promise;
    });
    signal.send('app');
    expect(profiler.snapshot()[0]).toMatchObject({ calls: 1, pending: 1, timedCalls: 0, totalMs: 0 });
    await sleep(20);
    gate.resolve();
    await macrotasks(1);
    const [entry] = profiler.snapshot();
    expect(entry).toMatchObject({ calls: 1, pending: 0, timedCalls: 1, errors: 0 });
    expect(entry.totalMs).toBeGreaterThanOrEqual(15);
  });

  it('measures synchronous time: p50 and p95 from the latest samples, max and total over all', () => {
    const signal = new Signal('spin');
    // Every call timed, so that the ring holds exactly the 10 latest calls.
    const profiler = profile(signal, { samples: 10, timeEveryCall: true });
    let ms = 4;
    signal.connect(function spinning() {
      busy(ms);
    });
    for (let i = 0; i < 10; i++) signal.send('app');
    ms = 0;
    for (let i = 0; i < 10; i++) signal.send('app');
    const [entry] = profiler.snapshot();
    expect(entry.calls).toBe(20);
    expect(entry.maxMs).toBeGreaterThanOrEqual(4);
    expect(entry.totalMs).toBeGreaterThanOrEqual(40);
    // The 10 latest calls were the fast ones.
    expect(entry.p95Ms).toBeLessThan(1);
  });

  it('times a fast receiver one call in 16 after 8 fast ones, with exact counts and an estimated total', () => {
    const signal = new Signal('fast');
    const profiler = profile(signal);
    const exact = profile(signal, { timeEveryCall: true });
    signal.connect(function tiny() {});
    for (let i = 0; i < 1000; i++) signal.send('app');
    const [sampled] = profiler.snapshot();
    const [everyCall] = exact.snapshot();
    expect(sampled.calls).toBe(1000);
    expect(everyCall).toMatchObject({ calls: 1000, timedCalls: 1000 });
    // Shared timing decision: timeEveryCall of one profiler times every call for both.
    expect(sampled.timedCalls).toBe(1000);
    exact.stop();
    for (let i = 0; i < 1000; i++) signal.send('app');
    const [alone] = profiler.snapshot();
    expect(alone.calls).toBe(2000);
    // After 8 fast timed calls, one in 16 of the remaining 992 (62), more when a call was slowed
    // down (JIT, preemption): a call of 2 µs or more makes the profiler time every call again.
    expect(alone.timedCalls - 1000).toBeGreaterThanOrEqual(8 + 62);
    expect(alone.timedCalls - 1000).toBeLessThan(500);
    expect(alone.totalMs).toBeGreaterThan(0);
  });

  it('times every call again once a fast receiver turns slow', () => {
    const signal = new Signal('turning');
    const profiler = profile(signal);
    let slow = false;
    signal.connect(function sometimesSlow() {
      if (slow) busy(0.05);
    });
    for (let i = 0; i < 100; i++) signal.send('app');
    const before = profiler.snapshot()[0].timedCalls;
    slow = true;
    for (let i = 0; i < 100; i++) signal.send('app');
    // At most 15 calls pass untimed before the first slow one is timed; from then on, all are.
    expect(profiler.snapshot()[0].timedCalls - before).toBeGreaterThanOrEqual(85);
  });

  it('profiles piped receivers, those called later by delay or a resumed pause, and lists paused ones', async () => {
    const signal = new Signal('piped');
    const profiler = profile(signal);
    const paused$ = new BehaviorSubject(true);
    signal.connect(function delayed() {}, { pipe: delay(1) });
    signal.connect(function held() {}, { pipe: pausable(paused$, { buffer: 5 }) });
    signal.send('app');
    signal.send('app');
    expect(byReceiver(profiler.snapshot()).held).toMatchObject({ calls: 0, paused: true });
    paused$.next(false);
    await macrotasks(2);
    const entries = byReceiver(profiler.snapshot());
    expect([entries.delayed.calls, entries.held.calls, entries.held.paused]).toEqual([2, 2, false]);
  });

  it('names receivers as strings, safely: anonymous functions and names that cannot be read', () => {
    const signal = new Signal('names');
    const profiler = profile(signal);
    signal.connect(Object.defineProperty(() => undefined, 'name', { value: '' }));
    signal.connect(
      Object.defineProperty(() => undefined, 'name', {
        get() {
          throw new Error('no name');
        },
      }),
    );
    signal.connect(
      new Proxy(function proxied() {}, {
        get: () => {
          throw new Error('trap');
        },
      }),
    );
    signal.send('app');
    const names = profiler.snapshot().map((entry) => [entry.signal, entry.receiver]);
    expect(names).toHaveLength(3);
    for (const [signalName, receiverName] of names) {
      expect([signalName, typeof receiverName]).toEqual(['names', 'string']);
    }
  });

  it('does not change what sends return or throw', async () => {
    const signal = new Signal('unchanged');
    const failure = new Error('strict');
    const first = () => 1;
    const second = () => {
      throw failure;
    };
    signal.connect(first);
    signal.connect(second);
    const unprofiled = signal.sendRobust('app');
    profile();
    expect(signal.sendRobust('app')).toEqual(unprofiled);
    expect(() => signal.send('app')).toThrow(failure);
    await expect(signal.asend('app')).rejects.toBe(failure);
  });
});

describe('profileReceivers: which connections', () => {
  it('lists every live connection of the given signals, called or not, and only theirs', () => {
    const a = new Signal('a');
    const b = new Signal('b');
    const profiler = profile([a]);
    a.connect(function called() {});
    const ended = a.connect(function ended() {});
    a.connect(function idle() {}, { sender: 'nobody' });
    b.connect(function elsewhere() {});
    a.send('app');
    b.send('app');
    ended.unsubscribe();
    expect(callsByReceiver(profiler)).toEqual(['called 1', 'idle 0']);
  });

  it('without signals, profiles every signal, also those made after it started', () => {
    const profiler = profile();
    const later = new Signal('madeLater');
    later.connect(function late() {});
    later.send('app');
    expect(profiler.snapshot().find((entry) => entry.signal === 'madeLater')).toMatchObject({
      receiver: 'late',
      calls: 1,
    });
  });

  it('runs several profilers at once, each with its own figures, reset and stop', () => {
    const signal = new Signal('shared');
    signal.connect(function counted() {});
    const one = profile(signal);
    signal.send('app');
    const two = profile(signal);
    signal.send('app');
    expect([one.snapshot()[0].calls, two.snapshot()[0].calls]).toEqual([2, 1]);
    one.reset();
    signal.send('app');
    expect([one.snapshot()[0].calls, two.snapshot()[0].calls]).toEqual([1, 2]);
    two.stop();
    two.stop(); // idempotent
    signal.send('app');
    expect([one.snapshot()[0].calls, two.snapshot()[0].calls]).toEqual([2, 2]);
    one.stop();
    signal.send('app');
    expect(one.snapshot()[0].calls).toBe(2); // stopped: the last figures stay readable
  });

  it("leaves alone the receivers it is told to ignore (the panel's own), and only for itself", () => {
    const signal = new Signal('watched');
    function appReceiver() {}
    function panelReceiver() {}
    signal.connect(appReceiver);
    signal.connect(panelReceiver);
    const panels = startReceiverProfiler(null, { ignored: new Set([panelReceiver]) });
    running.push(panels);
    const everyone = profile(signal);
    signal.send('app');
    expect(
      panels
        .snapshot()
        .filter((entry) => entry.signal === 'watched')
        .map((entry) => entry.receiver),
    ).toEqual(['appReceiver']);
    expect(callsByReceiver(everyone)).toEqual(['appReceiver 1', 'panelReceiver 1']);
  });

  it('reset keeps counting a call pending across it', async () => {
    const signal = new Signal('across');
    const profiler = profile(signal);
    const gate = deferred();
    signal.connect(() => gate.promise);
    signal.send('app');
    profiler.reset();
    expect(profiler.snapshot()[0]).toMatchObject({ calls: 1, pending: 1 });
    gate.resolve();
    await macrotasks(1);
    expect(profiler.snapshot()[0]).toMatchObject({ calls: 1, pending: 0, timedCalls: 1 });
  });
});

describe('profileReceivers: bad input', () => {
  it.each<[string, unknown, RegExp]>([
    ['a string', 'requestStarted', /signals must be a Signal or a non-empty array of Signals/],
    ['an empty array', [], /signals must be a Signal or a non-empty array of Signals/],
    [
      'an array with a non-signal',
      [new Signal('ok'), { name: 'fake' }],
      /signals\[1\] must be a Signal, got an object/,
    ],
    ['null', null, /signals must be a Signal or a non-empty array of Signals/],
  ])('refuses %s in place of signals with a TypeError', (_what, signals, message) => {
    expect(() => profileReceivers(signals as never)).toThrow(TypeError);
    expect(() => profileReceivers(signals as never)).toThrow(message);
    expect(() => profileReceivers(signals as never)).toThrow(/^profileReceivers\(signals\): /);
  });

  it.each<[string, unknown, ErrorConstructor, RegExp]>([
    ['options not an object', 5, TypeError, /options must be an object/],
    ['an unknown option', { sample: 10 }, TypeError, /unknown option "sample"/],
    ['samples not a number', { samples: '10' }, TypeError, /options.samples must be a whole number >= 1/],
    ['samples a fraction', { samples: 1.5 }, TypeError, /options.samples must be a whole number >= 1/],
    ['samples 0', { samples: 0 }, RangeError, /options.samples must be a whole number >= 1, got the number 0/],
    ['samples too many', { samples: 100_001 }, RangeError, /options.samples must be at most 100000, got 100001/],
    ['timeEveryCall not a boolean', { timeEveryCall: 'yes' }, TypeError, /timeEveryCall must be true or false/],
  ])('refuses %s', (_what, options, type, message) => {
    expect(() => profileReceivers(undefined, options as never)).toThrow(type);
    expect(() => profileReceivers(undefined, options as never)).toThrow(message);
  });
});
