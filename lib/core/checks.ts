/**
 * Argument checks and value descriptions for the whole library: each check throws a `TypeError`
 * (wrong kind of value) or a `RangeError` (right kind, out of range) whose message says where,
 * what was wrong, and what to pass. Descriptions never throw, whatever the value (Proxies,
 * revoked Proxies, throwing getters or `toString`): they are safe on anything a caller or a
 * receiver hands over.
 *
 * Every check takes `where` (the call, as the user wrote it: `'pausable()'`, `'app.signals.connect()'`)
 * and `name` (the argument or option: `'options.buffer'`), and an optional `hint` appended as is.
 */
import type { Signal } from './signal';

/**
 * The longest delay a timer keeps: Node's `setTimeout` turns anything above 2^31-1 ms (about 24.8
 * days) into 1 ms, which would make a "once a month" timer fire in a loop.
 * @internal
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Describes a value for an error message: short, and never throws.
 *
 * @example
 * describeValue(42);          // 'the number 42'
 * describeValue(undefined);   // 'undefined'
 * describeValue({ a: 1 });    // 'an object'
 * describeValue(new Map());   // 'a Map'
 * @internal
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return value.length > 40 ? `a string ("${value.slice(0, 37)}...")` : `the string "${value}"`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `the ${typeof value} ${String(value)}`;
    case 'symbol':
      return `the symbol ${String(value)}`;
    case 'function':
      return `a function (${functionName(value) === '<anonymous>' ? 'anonymous' : functionName(value)})`;
    default:
      return describeObject(value as object);
  }
}

/** `an array`, `an object`, or `a Map` (the class of an instance); a Proxy's traps may throw here. */
function describeObject(value: object): string {
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    return 'a revoked Proxy'; // the only object Array.isArray throws for
  }
  try {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === null || prototype === Object.prototype) return 'an object';
    // The class name, read from the prototype's own `constructor` (never through a getter).
    const constructor: unknown = Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value;
    const name = functionName(constructor);
    return name === '<anonymous>' || name === 'Object' ? 'an object' : `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
  } catch {
    return 'an object';
  }
}

/**
 * The name of a function for logs and messages: its own name, or `<anonymous>`. Never throws: a
 * `name` getter that throws, a Proxy, or a `name` that is not a string give `<anonymous>`.
 *
 * @example
 * functionName(function audit() {}); // 'audit'
 * functionName(() => {});            // '<anonymous>'
 * @internal
 */
export function functionName(fn: unknown): string {
  if (typeof fn !== 'function') return '<anonymous>';
  try {
    const name: unknown = fn.name;
    return typeof name === 'string' && name !== '' ? name : '<anonymous>';
  } catch {
    return '<anonymous>';
  }
}

/**
 * `Array.isArray` that never throws: false for a revoked Proxy (the one value it throws for).
 *
 * @example
 * const list = isArray(signals) ? signals : [signals];
 * @internal
 */
export function isArray(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Throws a `TypeError` when `options` has keys outside `allowed`, naming them and the allowed set.
 *
 * @example
 * rejectUnknownKeys('connect()', { sneder: 1 }, ['sender', 'dispatchUid']);
 * // TypeError: connect(): unknown option "sneder". Allowed options: sender, dispatchUid.
 * @internal
 */
export function rejectUnknownKeys(where: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${where}: unknown option "${key}". Allowed options: ${allowed.join(', ')}.`);
    }
  }
}

/**
 * Throws a `TypeError` unless `options` is undefined or a plain object.
 *
 * @example
 * requireOptionsObject('pausable()', options);
 * @internal
 */
export function requireOptionsObject(where: string, options: unknown): asserts options is object | undefined {
  if (options !== undefined && (typeof options !== 'object' || options === null || isArray(options))) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}.`);
  }
}

/** `${where}: ${name} must be ${what}, got ${value}.` plus the hint. */
function mustBe(where: string, name: string, what: string, value: unknown, hint?: string): string {
  return `${where}: ${name} must be ${what}, got ${describeValue(value)}.${hint ? ` ${hint}` : ''}`;
}

/**
 * Throws a `TypeError` unless `value` is a function.
 *
 * @example
 * requireFunction('rollingRequestStats()', 'options.isFailed', isFailed, 'Pass (summary) => boolean.');
 * @internal
 */
export function requireFunction(where: string, name: string, value: unknown, hint?: string): asserts value is Function {
  if (typeof value !== 'function') throw new TypeError(mustBe(where, name, 'a function', value, hint));
}

/**
 * Throws a `TypeError` unless `value` is `true` or `false`.
 *
 * @example
 * requireBoolean('signal.connect()', 'options.weak', weak);
 * @internal
 */
export function requireBoolean(where: string, name: string, value: unknown, hint?: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new TypeError(mustBe(where, name, 'true or false', value, hint));
}

/**
 * Throws a `TypeError` unless `value` is a string.
 *
 * @example
 * requireString('groupByRoute()', 'options.overflowKey', overflowKey);
 * @internal
 */
export function requireString(where: string, name: string, value: unknown, hint?: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(mustBe(where, name, 'a string', value, hint));
}

/**
 * Throws unless `value` is a whole number `>= min` (0 unless given), or `Infinity` when
 * `allowInfinity`: a `TypeError` for what is not a whole number, a `RangeError` below `min`.
 *
 * @example
 * requireInteger('latencyByRoute()', 'options.samples', samples, { min: 1 });
 * requireInteger('pausable()', 'options.buffer', buffer, { allowInfinity: true });
 * @internal
 */
export function requireInteger(
  where: string,
  name: string,
  value: unknown,
  { min = 0, allowInfinity = false, hint }: { min?: number; allowInfinity?: boolean; hint?: string } = {},
): asserts value is number {
  const what = `a whole number >= ${min}${allowInfinity ? ' (or Infinity)' : ''}`;
  if (typeof value !== 'number' || !(Number.isInteger(value) || (allowInfinity && value === Infinity))) {
    throw new TypeError(mustBe(where, name, what, value, hint));
  }
  if (value < min) throw new RangeError(mustBe(where, name, what, value, hint));
}

/**
 * Throws unless `value` is a finite number `>= min` (0 unless given): a `TypeError` for what is
 * not a number, a `RangeError` for NaN, infinities and numbers below `min`.
 *
 * @example
 * requireNumber('slowerThan(thresholdMs)', 'thresholdMs', thresholdMs, { hint: 'For example slowerThan(500).' });
 * @internal
 */
export function requireNumber(
  where: string,
  name: string,
  value: unknown,
  { min = 0, hint }: { min?: number; hint?: string } = {},
): asserts value is number {
  const what = `a finite number >= ${min}`;
  if (typeof value !== 'number') throw new TypeError(mustBe(where, name, what, value, hint));
  if (!Number.isFinite(value) || value < min) throw new RangeError(mustBe(where, name, what, value, hint));
}

/**
 * Throws unless `value` is a delay a timer can keep: a number of milliseconds from 0 (or above 0
 * unless `allowZero`) to {@link MAX_TIMER_MS}. A `TypeError` for what is not a number, a
 * `RangeError` for NaN, infinities and numbers out of that range.
 *
 * @example
 * requireTimerMs('rollingRequestStats()', 'options.windowMs', windowMs, { hint: 'For example { windowMs: 60_000 }.' });
 * @internal
 */
export function requireTimerMs(
  where: string,
  name: string,
  value: unknown,
  { allowZero = false, hint }: { allowZero?: boolean; hint?: string } = {},
): asserts value is number {
  const what = `a number of milliseconds ${allowZero ? '>= 0' : 'above 0'} and at most ${MAX_TIMER_MS} (2^31-1, about 24.8 days)`;
  if (typeof value !== 'number') throw new TypeError(mustBe(where, name, what, value, hint));
  if (!(allowZero ? value >= 0 : value > 0) || !(value <= MAX_TIMER_MS)) {
    throw new RangeError(mustBe(where, name, what, value, hint));
  }
}

/**
 * Checks a signal's name: a non-empty string, named after what happened.
 *
 * @example
 * requireSignalName('namedSignal(name)', name, "namedSignal('invoicePaid')");
 * @internal
 */
export function requireSignalName(where: string, name: unknown, example: string): asserts name is string {
  if (typeof name === 'string' && name.trim() !== '') return;
  throw new TypeError(
    `${where}: the name must be a non-empty string, got ${describeValue(name)}. ` +
      `Name the signal after what happened, e.g. ${example}.`,
  );
}

/**
 * Checks what `signal.subscribe(observer)` takes: nothing, a function, or an object of handlers.
 *
 * @example
 * requireObserver('requestStarted.subscribe(observer)', observer);
 * @internal
 */
export function requireObserver(where: string, observer: unknown): void {
  if (observer == null || typeof observer === 'function' || (typeof observer === 'object' && !isArray(observer)))
    return;
  throw new TypeError(
    `${where}: observer must be a function or an object of handlers, got ${describeValue(observer)}. ` +
      'Pass e.g. signal.subscribe((event) => ...) or signal.subscribe({ next: (event) => ... }).',
  );
}

/**
 * True for what can be subscribed to: an object with a `subscribe` method (an RxJS Observable,
 * or another library's). Never throws.
 *
 * @example
 * isSubscribable(new BehaviorSubject(false)); // true
 * @internal
 */
export function isSubscribable(value: unknown): value is { subscribe: Function } {
  try {
    return (
      typeof value === 'object' && value !== null && typeof (value as { subscribe?: unknown }).subscribe === 'function'
    );
  } catch {
    return false;
  }
}

/**
 * Throws a `TypeError` unless `value` is an Observable (see {@link isSubscribable}).
 *
 * @example
 * requireObservable('pausable(paused$)', 'paused$', paused$, 'Pass e.g. a BehaviorSubject<boolean>.');
 * @internal
 */
export function requireObservable(
  where: string,
  name: string,
  value: unknown,
  hint?: string,
  what = 'an Observable',
): asserts value is { subscribe: Function } {
  if (!isSubscribable(value)) throw new TypeError(mustBe(where, name, what, value, hint));
}

/**
 * Throws a `TypeError` unless `dispatchUid` is undefined, a string or a symbol.
 *
 * @example
 * requireDispatchUid('signal.connect()', options.dispatchUid);
 * @internal
 */
export function requireDispatchUid(
  where: string,
  dispatchUid: unknown,
): asserts dispatchUid is string | symbol | undefined {
  if (dispatchUid !== undefined && typeof dispatchUid !== 'string' && typeof dispatchUid !== 'symbol') {
    throw new TypeError(
      mustBe(
        where,
        'options.dispatchUid',
        'a string or a symbol',
        dispatchUid,
        "Use a stable name such as 'myapp.audit-login'.",
      ),
    );
  }
}

/**
 * The mark every `Signal` carries on its prototype. A registered symbol, so that two copies of
 * the library in one process still recognise each other's signals.
 * @internal
 */
export const SIGNAL_MARK: unique symbol = Symbol.for('rx-signals.Signal') as never;

/**
 * True for a `Signal` (of any copy of the library). Never throws.
 *
 * @example
 * isSignal(requestFinished); // true
 * isSignal({ connect() {} }); // false
 * @internal
 */
export function isSignal(value: unknown): value is Signal<object, unknown> {
  try {
    return typeof value === 'object' && value !== null && (value as { [SIGNAL_MARK]?: unknown })[SIGNAL_MARK] === true;
  } catch {
    return false; // a Proxy whose get trap throws
  }
}

/**
 * Throws a `TypeError` unless `value` is a `Signal`.
 *
 * @example
 * requireSignal('connectedTo(signal, receiver, fn)', 'signal', signal, 'For example connectedTo(requestStarted, receiver, fn).');
 * @internal
 */
export function requireSignal<S extends object = Signal<object, unknown>>(
  where: string,
  name: string,
  value: unknown,
  hint?: string,
): asserts value is S {
  if (!isSignal(value)) throw new TypeError(mustBe(where, name, 'a Signal', value, hint));
}

/**
 * A Signal or a non-empty array of Signals, as a list; a `TypeError` naming the first entry that
 * is not a Signal (`signals[2]`), or saying what to pass instead of the empty array.
 *
 * @example
 * const list = requireSignals('muted(signals, fn)', 'signals', signals);
 * @internal
 */
export function requireSignals<S extends object = Signal<object, unknown>>(
  where: string,
  name: string,
  value: S | readonly S[] | unknown,
  hint = 'Pass a Signal such as requestFinished, or an array of them.',
): S[] {
  const what = 'a Signal or a non-empty array of Signals';
  if (!isArray(value)) {
    if (!isSignal(value)) throw new TypeError(mustBe(where, name, what, value, hint));
    return [value as S];
  }
  if (value.length === 0) throw new TypeError(`${where}: ${name} must be ${what}, got an empty array. ${hint}`);
  value.forEach((entry: unknown, index) => requireSignal(where, `${name}[${index}]`, entry, hint));
  return [...(value as S[])];
}
