import { deepStrictEqual } from 'node:assert';
import { Observable, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ConnectOptions, Signal, SignalArgs, SignalEvent } from '../core/signal';
import { describeValue, rejectUnknownKeys, requireOptionsObject, requireSignal } from '../core/checks';

/**
 * A `TestScheduler` whose assertions are `node:assert`'s `deepStrictEqual`, so it works under
 * any test runner. Pass your runner's assertion instead to get its diff output.
 *
 * Virtual time covers RxJS schedulers and the timers they use (`delay`, `debounceTime`,
 * `bufferTime`, `timer`, ...) inside `run()`. It does not cover Promises, `async`/`await`,
 * `setImmediate`, `process.nextTick` or I/O (real sockets, `inject()`): keep those out of
 * `run()` and record them with `recordSignals(...).toMarbles()` instead.
 *
 * @example
 * const scheduler = testScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.run(({ expectObservable }) => {
 *   sendMarbles(scheduler, userSeen, '-a-b', { a: { user: 'ada' }, b: { user: 'bob' } });
 *   expectObservable(userSeen.pipe(map((event) => event.user))).toBe('-a-b', { a: 'ada', b: 'bob' });
 * });
 */
export function testScheduler(
  assertDeepEqual: (actual: unknown, expected: unknown) => void = (actual, expected) =>
    deepStrictEqual(actual, expected),
): TestScheduler {
  if (typeof assertDeepEqual !== 'function') {
    throw new TypeError(
      `testScheduler(assertDeepEqual): must be a function, got ${describeValue(assertDeepEqual)}. ` +
        'E.g. testScheduler((actual, expected) => expect(actual).toEqual(expected)).',
    );
  }
  return new TestScheduler(assertDeepEqual);
}

/**
 * Options of {@link sendMarbles}.
 *
 * @example
 * sendMarbles(scheduler, requestFinished, '-a', { a: finishedArgs }, { sender: app });
 */
export interface SendMarblesOptions<Sender> {
  /** The sender of every send (default: undefined). */
  sender?: Sender;
}

/**
 * Makes `signal` a hot source in virtual time: each letter of `marbles` is sent, at its frame,
 * with `values[letter]` as args, through `sendRobust` (a receiver failure is reported on
 * `receiverErrors`, never thrown into the scheduler). Call it inside `scheduler.run(...)`, before
 * or after the `expectObservable` calls: sends scheduled at frame 0 still come after the
 * subscriptions `expectObservable` makes.
 *
 * `marbles` uses RxJS's syntax (`-`, `(ab)`, `10ms`), but not `|` or `#`: a signal never
 * completes nor errors.
 *
 * @example
 * scheduler.run(({ expectObservable }) => {
 *   sendMarbles(scheduler, requestFinished, '-a--b', { a: finishedArgs, b: finishedArgs }, { sender: app });
 *   expectObservable(requestFinished.pipe(map(() => 'f'))).toBe('-f--f');
 * });
 */
export function sendMarbles<Args extends SignalArgs, Sender>(
  scheduler: TestScheduler,
  signal: Signal<Args, Sender>,
  marbles: string,
  values: Readonly<Record<string, Args>>,
  options?: SendMarblesOptions<Sender>,
): Subscription {
  if (!(scheduler instanceof TestScheduler)) {
    throw new TypeError(
      `sendMarbles(scheduler, ...): scheduler must be the TestScheduler running the test, got ${describeValue(scheduler)}. ` +
        'Create it with testScheduler().',
    );
  }
  if (typeof (signal as Partial<Signal<Args, Sender>> | null)?.sendRobust !== 'function') {
    throw new TypeError(`sendMarbles(scheduler, signal, ...): signal must be a Signal, got ${describeValue(signal)}.`);
  }
  if (typeof marbles !== 'string') {
    throw new TypeError(
      `sendMarbles(): marbles must be a marble string such as '-a--b', got ${describeValue(marbles)}.`,
    );
  }
  if (typeof values !== 'object' || values === null) {
    throw new TypeError(
      `sendMarbles(): values must map each letter of the marbles to the args to send, got ${describeValue(values)}. ` +
        "E.g. { a: { user: 'ada' } }.",
    );
  }
  requireOptionsObject('sendMarbles()', options);
  if (options) rejectUnknownKeys('sendMarbles()', options, ['sender']);

  // Parsed without values, each message carries its letter.
  for (const message of TestScheduler.parseMarbles(marbles, undefined, undefined, false, true)) {
    const { kind } = message.notification;
    if (kind === 'C' || kind === 'E') {
      throw new TypeError(
        `sendMarbles(): '${marbles}' ${kind === 'C' ? "completes ('|')" : "errors ('#')"}, but a signal never ` +
          'completes nor errors. Leave the marbles open-ended.',
      );
    }
    const letter = String(message.notification.value);
    const args: unknown = Object.hasOwn(values, letter) ? values[letter] : undefined;
    if (typeof args !== 'object' || args === null) {
      throw new TypeError(
        `sendMarbles(): the letter '${letter}' of '${marbles}' has no args in values (got ${describeValue(args)}). ` +
          `Add it, e.g. values = { ${letter}: { ... } }.`,
      );
    }
  }
  const sender = options?.sender as Sender;
  return scheduler.createHotObservable<Args>(marbles, values).subscribe((args) => signal.sendRobust(sender, args));
}

/**
 * What a receiver connected to `signal` with `options` receives, as an Observable: subscribing
 * connects such a receiver, unsubscribing disconnects it. Goes through the real connection
 * (its place in connection order, its `pipe` operators, muting), which a plain
 * `signal.pipe(...)` would not.
 *
 * @example
 * scheduler.run(({ cold, expectObservable }) => {
 *   const paused$ = cold('--t-f', { t: true, f: false });
 *   sendMarbles(scheduler, signal, 'a-b-c', values);
 *   expectObservable(deliveries(signal, { pipe: pausable(paused$) }).pipe(map((e) => e.n))).toBe('a---c', { a: 1, c: 3 });
 * });
 */
export function deliveries<Args extends SignalArgs, Sender>(
  signal: Signal<Args, Sender>,
  options?: ConnectOptions<Args, Sender>,
): Observable<SignalEvent<Args, Sender>> {
  requireSignal('deliveries(signal, options)', 'signal', signal);
  return new Observable<SignalEvent<Args, Sender>>((subscriber) =>
    signal.connect((event) => subscriber.next(event), options),
  );
}
