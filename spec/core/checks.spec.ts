/**
 * The shared argument checks (lib/core/checks.ts): the messages they build, and descriptions that
 * never throw, whatever the value.
 */
import {
  MAX_TIMER_MS,
  describeValue,
  functionName,
  isSignal,
  requireBoolean,
  requireFunction,
  requireInteger,
  requireObservable,
  requireSignals,
  requireTimerMs,
} from '../../lib/core/checks';
import { BehaviorSubject } from 'rxjs';
import { Signal } from '../../lib/core/signal';

const throwing = (): never => {
  throw new Error('hostile');
};

/** Values whose every trap, getter and conversion throws. */
function hostileValues(): [label: string, value: unknown][] {
  const traps: ProxyHandler<object> = {
    get: throwing,
    getPrototypeOf: throwing,
    ownKeys: throwing,
    getOwnPropertyDescriptor: throwing,
    has: throwing,
  };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const revokedFunction = Proxy.revocable(() => undefined, {});
  revokedFunction.revoke();
  const namedBadly = () => undefined;
  Object.defineProperty(namedBadly, 'name', { get: throwing });
  return [
    ['a Proxy whose traps throw', new Proxy({}, traps)],
    ['a function Proxy whose traps throw', new Proxy(() => undefined, traps)],
    ['a revoked Proxy', revoked.proxy],
    ['a revoked function Proxy', revokedFunction.proxy],
    ['an object whose toString and Symbol.toPrimitive throw', { toString: throwing, [Symbol.toPrimitive]: throwing }],
    ['a function whose name getter throws', namedBadly],
    [
      'an object whose constructor getter throws',
      Object.create({
        get constructor() {
          return throwing();
        },
      }) as object,
    ],
    [
      'a function whose name is not a string',
      Object.defineProperty(() => undefined, 'name', { value: { toString: throwing } }),
    ],
  ];
}

describe('describeValue', () => {
  it.each<[unknown, string]>([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'the number 42'],
    [10n, 'the bigint 10'],
    [false, 'the boolean false'],
    ['x', 'the string "x"'],
    ['y'.repeat(50), `a string ("${'y'.repeat(37)}...")`],
    [Symbol('s'), 'the symbol Symbol(s)'],
    [function audit() {}, 'a function (audit)'],
    [() => undefined, 'a function (anonymous)'],
    [{ a: 1 }, 'an object'],
    [Object.create(null), 'an object'],
    [[1], 'an array'],
    [new Map(), 'a Map'],
    [new Error('x'), 'an Error'],
    [new (class UserArgs {})(), 'a UserArgs'],
  ])('describes %p as %p', (value, described) => {
    expect(describeValue(value)).toBe(described);
  });

  it.each(hostileValues())('never throws for %s', (_label, value) => {
    expect(typeof describeValue(value)).toBe('string');
  });

  it('names a revoked Proxy as such', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(describeValue(proxy)).toBe('a revoked Proxy');
  });
});

describe('functionName', () => {
  it('gives the name, or <anonymous>', () => {
    expect(functionName(function audit() {})).toBe('audit');
    expect(functionName(() => undefined)).toBe('<anonymous>');
    expect(functionName('audit')).toBe('<anonymous>');
  });

  it.each(hostileValues())('never throws for %s', (_label, value) => {
    expect(functionName(value)).toBe('<anonymous>');
  });
});

describe('the require* checks', () => {
  it('build "where: name must be what, got value. hint"', () => {
    expect(() => requireFunction('f()', 'options.isFailed', 1, 'Pass (summary) => boolean.')).toThrow(
      new TypeError('f(): options.isFailed must be a function, got the number 1. Pass (summary) => boolean.'),
    );
    expect(() => requireBoolean('f()', 'options.weak', 'yes')).toThrow(
      new TypeError('f(): options.weak must be true or false, got the string "yes".'),
    );
    expect(() => requireObservable('f()', 'paused$', true)).toThrow(
      new TypeError('f(): paused$ must be an Observable, got the boolean true.'),
    );
    expect(() => requireObservable('f()', 'paused$', new BehaviorSubject(false))).not.toThrow();
  });

  it('requireInteger: TypeError for what is not a whole number, RangeError below the minimum', () => {
    expect(() => requireInteger('f()', 'n', 1.5)).toThrow(TypeError);
    expect(() => requireInteger('f()', 'n', '1')).toThrow(TypeError);
    expect(() => requireInteger('f()', 'n', Infinity)).toThrow(TypeError);
    expect(() => requireInteger('f()', 'n', 0, { min: 1 })).toThrow(
      new RangeError('f(): n must be a whole number >= 1, got the number 0.'),
    );
    expect(() => requireInteger('f()', 'n', 0)).not.toThrow();
    expect(() => requireInteger('f()', 'n', Infinity, { allowInfinity: true })).not.toThrow();
  });

  it('requireTimerMs: bounded to 2^31-1 ms, since setTimeout turns longer delays into 1 ms', () => {
    expect(MAX_TIMER_MS).toBe(2147483647);
    expect(() => requireTimerMs('f()', 'options.windowMs', MAX_TIMER_MS)).not.toThrow();
    for (const value of [MAX_TIMER_MS + 1, Infinity, NaN, 0, -1]) {
      expect(() => requireTimerMs('f()', 'options.windowMs', value)).toThrow(RangeError);
    }
    expect(() => requireTimerMs('f()', 'options.windowMs', 0, { allowZero: true })).not.toThrow();
    expect(() => requireTimerMs('f()', 'options.windowMs', '10')).toThrow(TypeError);
    expect(() => requireTimerMs('f()', 'options.windowMs', 2 ** 31)).toThrow(
      'f(): options.windowMs must be a number of milliseconds above 0 and at most 2147483647 (2^31-1, about 24.8 days), got the number 2147483648.',
    );
  });
});

describe('isSignal and requireSignals', () => {
  const signal = new Signal('checked');

  it('recognise a Signal and nothing that merely looks like one', () => {
    expect(isSignal(signal)).toBe(true);
    expect(isSignal({ name: 'x', connect: () => undefined, send: () => [] })).toBe(false);
    expect(isSignal(Object.create(signal) as object)).toBe(true); // inherits the mark, as instanceof would say
  });

  it.each(hostileValues())('isSignal never throws for %s', (_label, value) => {
    expect(isSignal(value)).toBe(false);
  });

  it('requireSignals makes a list of one Signal or of an array, naming the bad entry', () => {
    expect(requireSignals('f()', 'signals', signal)).toEqual([signal]);
    expect(requireSignals('f()', 'signals', [signal, signal])).toEqual([signal, signal]);
    expect(() => requireSignals('f()', 'signals', [signal, 1], 'Pass signals.')).toThrow(
      new TypeError('f(): signals[1] must be a Signal, got the number 1. Pass signals.'),
    );
    expect(() => requireSignals('f()', 'signals', [], 'Pass signals.')).toThrow(
      new TypeError('f(): signals must be a Signal or a non-empty array of Signals, got an empty array. Pass signals.'),
    );
  });
});
