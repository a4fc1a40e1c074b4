/**
 * Bad input gets a TypeError that says what was wrong and how to fix it (issue 3, item 6), and
 * leaves nothing connected behind.
 */
import { BehaviorSubject, type MonoTypeOperatorFunction } from 'rxjs';
import { Signal, type ConnectOptions } from '../../lib/core/signal';
import { receiver } from '../../lib/core/receiver';
import { pausable, type PausableOptions } from '../../lib/core/pausable';

interface Numbered {
  n: number;
}

/** Runs `fn` and returns the TypeError it throws (failing the test when it throws nothing else). */
function typeErrorOf(fn: () => unknown): TypeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return error as TypeError;
  }
  throw new Error('expected a TypeError, but nothing was thrown');
}

/** Lets a test pass values the types forbid, as an untyped JavaScript caller would. */
function untyped<T>(value: unknown): T {
  return value as T;
}

describe('new Signal(name)', () => {
  it.each<[string, unknown, string]>([
    ['an empty string', '', 'the string ""'],
    ['blanks', '   ', 'the string "   "'],
    ['a number', 42, 'the number 42'],
    ['undefined', undefined, 'undefined'],
  ])('rejects %s, naming the value and the fix', (_label, name, described) => {
    const { message } = typeErrorOf(() => new Signal(untyped<string>(name)));
    expect(message).toBe(
      `new Signal(name): the name must be a non-empty string, got ${described}. ` +
        "Name the signal after what happened, e.g. new Signal('userLoggedIn').",
    );
  });
});

describe('signal.connect(receiver, options)', () => {
  const signal = new Signal<Numbered>('checked');
  afterEach(() => expect(signal.hasListeners()).toBe(false)); // nothing stays connected

  it.each<[string, unknown, string]>([
    ['a string', 'handler', 'the string "handler"'],
    ['null', null, 'null'],
    ['an object', { handleEvent() {} }, 'an object'],
    ['undefined', undefined, 'undefined'],
  ])('rejects %s as the receiver', (_label, value, described) => {
    const { message } = typeErrorOf(() => signal.connect(untyped(value)));
    expect(message).toBe(
      `checked.connect(receiver): the receiver must be a function, got ${described}. ` +
        'Pass a function that takes the event, e.g. signal.connect((event) => ...).',
    );
  });

  it('rejects options that are not an object', () => {
    expect(typeErrorOf(() => signal.connect(() => undefined, untyped('weak'))).message).toBe(
      'checked.connect(): options must be an object, got the string "weak".',
    );
    expect(typeErrorOf(() => signal.connect(() => undefined, untyped([]))).message).toContain('got an array');
    expect(typeErrorOf(() => signal.connect(() => undefined, untyped(null))).message).toContain('got null');
  });

  it('rejects unknown option keys, naming the key and the allowed ones', () => {
    const { message } = typeErrorOf(() =>
      signal.connect(() => undefined, untyped<ConnectOptions<Numbered>>({ sneder: {} })),
    );
    expect(message).toBe(
      'checked.connect(): unknown option "sneder". Allowed options: sender, dispatchUid, pipe, weak.',
    );
  });

  it.each<[string, unknown, string]>([
    ['a number', 42, 'the number 42'],
    ['an object', { id: 'x' }, 'an object'],
    ['null', null, 'null'],
  ])('rejects %s as dispatchUid', (_label, dispatchUid, described) => {
    const { message } = typeErrorOf(() => signal.connect(() => undefined, { dispatchUid: untyped(dispatchUid) }));
    expect(message).toBe(
      `checked.connect(): options.dispatchUid must be a string or a symbol, got ${described}. ` +
        "Use a stable name such as 'myapp.audit-login'.",
    );
  });

  it('rejects a weak option that is not a boolean', () => {
    expect(typeErrorOf(() => signal.connect(() => undefined, { weak: untyped('yes') })).message).toBe(
      'checked.connect(): options.weak must be true or false, got the string "yes".',
    );
  });

  it('rejects a pipe that is not an operator, naming its place in an array', () => {
    expect(typeErrorOf(() => signal.connect(() => undefined, { pipe: untyped('filter') })).message).toBe(
      'checked.connect(): options.pipe must be a function, got the string "filter". ' +
        'Pass RxJS operators such as filter(...) or pausable(paused$), or an array of them.',
    );
    expect(
      typeErrorOf(() => signal.connect(() => undefined, { pipe: [(source) => source, untyped({ operator: true })] }))
        .message,
    ).toBe(
      'checked.connect(): options.pipe[1] must be a function, got an object. ' +
        'Pass RxJS operators such as filter(...) or pausable(paused$), or an array of them.',
    );
  });

  it('rejects a pipe function that does not return an Observable (a plain function, not an operator)', () => {
    const notAnOperator = untyped<ConnectOptions<Numbered>['pipe']>((event: Numbered) => event.n > 1);
    expect(typeErrorOf(() => signal.connect(() => undefined, { pipe: notAnOperator })).message).toBe(
      'checked.connect(): options.pipe returned the boolean false instead of an Observable. ' +
        'Pass RxJS operators such as filter(...) or pausable(...), not plain functions.',
    );
  });

  it('checks everything before connecting anything', () => {
    typeErrorOf(() => signal.connect(() => undefined, { sender: 'app', pipe: untyped(1) }));
    expect(signal.receivers()).toEqual([]);
  });
});

describe('signal.disconnect(receiver, options)', () => {
  const signal = new Signal<Numbered>('checked');

  it('rejects a non-function receiver when no dispatchUid names the connection', () => {
    expect(typeErrorOf(() => signal.disconnect(untyped('handler'))).message).toBe(
      'checked.disconnect(receiver): the receiver must be a function, got the string "handler". ' +
        'Pass the connected function, or options.dispatchUid for a connection made with one.',
    );
    expect(typeErrorOf(() => signal.disconnect()).message).toContain('got undefined');
  });

  it('rejects unknown option keys and a bad dispatchUid', () => {
    expect(typeErrorOf(() => signal.disconnect(() => undefined, untyped({ weak: true }))).message).toBe(
      'checked.disconnect(): unknown option "weak". Allowed options: sender, dispatchUid.',
    );
    expect(typeErrorOf(() => signal.disconnect(null, { dispatchUid: untyped(1) })).message).toContain(
      'options.dispatchUid must be a string or a symbol, got the number 1',
    );
  });
});

describe('send(sender, args) and its variants', () => {
  const message = (described: string, signalName = 'checked') =>
    `${signalName}.send(sender, args): args must be an object of named values (a plain object or a class instance), got ${described}. ` +
    'Wrap values in an object, e.g. send(sender, { user }).';
  const refused: readonly [unknown, string][] = [
    [5, 'the number 5'],
    [null, 'null'],
    ['n=1', 'the string "n=1"'],
    [[1, 2], 'an array'],
    [new Map([['n', 1]]), 'a Map'],
    [new Date(0), 'a Date'],
    [Promise.resolve({ n: 1 }), 'a Promise'],
    [new Error('n'), 'an Error'],
    [Object.assign(() => undefined, { n: 1 }), 'a function (anonymous)'],
  ];

  it.each(['send', 'sendRobust'] as const)(
    '%s throws a TypeError for args that are not an object of named values',
    (method) => {
      const signal = new Signal<Numbered>('checked');
      signal.connect(() => undefined);
      for (const [args, described] of refused) {
        expect(typeErrorOf(() => signal[method](null, untyped<Numbered>(args))).message).toBe(message(described));
      }
    },
  );

  it.each(['asend', 'asendRobust'] as const)(
    '%s rejects bad args instead of throwing synchronously (a Promise-returning call must reject)',
    async (method) => {
      const signal = new Signal<Numbered>('checked');
      signal.connect(() => undefined);
      for (const [args, described] of refused) {
        let promise: Promise<unknown> | undefined;
        expect(() => (promise = signal[method](null, untyped<Numbered>(args)))).not.toThrow();
        await expect(promise).rejects.toThrow(new TypeError(message(described)));
      }
    },
  );

  it('asend rejects, not throws, when the args throw while the event is built', async () => {
    const signal = new Signal<Numbered>('checked');
    signal.connect(() => undefined);
    const args = {
      get n(): number {
        throw new Error('getter failed');
      },
    };
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = signal.asend(null, args))).not.toThrow();
    await expect(promise).rejects.toThrow('getter failed');
  });

  it('accepts plain objects, objects without a prototype, and class instances', () => {
    class LoginArgs {
      constructor(readonly n: number) {}
    }
    const signal = new Signal<Numbered>('checked');
    const seen: number[] = [];
    signal.connect(({ n }) => seen.push(n));
    signal.send(null, { n: 1 });
    signal.send(null, Object.assign(Object.create(null) as object, { n: 2 }) as Numbered);
    signal.send(null, new LoginArgs(3));
    expect(seen).toEqual([1, 2, 3]);
  });

  it('rejects bad args even when nobody listens', () => {
    const signal = new Signal<Numbered>('unheard');
    typeErrorOf(() => signal.send(null, untyped<Numbered>(5)));
    typeErrorOf(() => signal.sendRobust(null, untyped<Numbered>([])));
    return expect(signal.asend(null, untyped<Numbered>(new Map()))).rejects.toThrow(TypeError);
  });

  // Rounds 4 to 7 read args.__proto__ first, only so that V8 would fold Object.getPrototypeOf: such a read must decide nothing.
  it("regression: the args check is getPrototypeOf's answer, not a __proto__ read (a throwing get trap, a __proto__ key, a lying one)", () => {
    const signal = new Signal<Numbered>('checked');
    const seen: unknown[] = [];
    signal.connect((event) => seen.push(event.n));
    const throwingGet = new Proxy(
      { n: 1 },
      {
        get(target, key) {
          if (key === '__proto__') throw new Error('no __proto__ here');
          return Reflect.get(target, key);
        },
      },
    );
    signal.send(null, throwingGet);
    signal.send(null, JSON.parse('{"n": 2, "__proto__": [1, 2]}') as Numbered);
    expect(seen).toEqual([1, 2]);
    // An array that claims Object.prototype through an own __proto__ key is still an array.
    const lying = Object.defineProperty([3], '__proto__', { value: Object.prototype, enumerable: false });
    expect(typeErrorOf(() => signal.send(null, untyped<Numbered>(lying))).message).toBe(message('an array'));
  });

  // The check now runs inside the event maker compiled for the keys a signal learnt: keys alike must not let refused args through.
  it('args with the very keys of a learnt shape are still refused when they are an array, a Map or a Date', () => {
    class NumberedMap extends Map<string, number> {
      n = 1;
    }
    const heard = new Signal<Numbered>('learnt');
    const seen: number[] = [];
    heard.connect(({ n }) => seen.push(n));
    const unheard = new Signal<Numbered>('learntUnheard');
    for (let n = 0; n < 3; n++) heard.send(null, { n }); // the shape `{ n }` is learnt and compiled
    const lookalikes: [unknown, string][] = [
      [Object.assign([], { n: 1 }), 'an array'],
      [new NumberedMap(), 'a NumberedMap'],
      [Object.assign(new Date(0), { n: 1 }), 'a Date'],
    ];
    for (const [args, described] of lookalikes) {
      expect(typeErrorOf(() => heard.send(null, untyped<Numbered>(args))).message).toBe(message(described, 'learnt'));
      expect(typeErrorOf(() => unheard.send(null, untyped<Numbered>(args))).message).toBe(
        message(described, 'learntUnheard'),
      );
    }
    heard.send(null, { n: 9 });
    expect(seen).toEqual([0, 1, 2, 9]);
  });

  it('refuses a revoked Proxy as args with a TypeError of its own, not the Proxy error', () => {
    const signal = new Signal<Numbered>('checked');
    signal.connect(() => undefined);
    const { proxy, revoke } = Proxy.revocable({ n: 1 }, {});
    revoke();
    expect(typeErrorOf(() => signal.send(null, proxy)).message).toBe(message('a revoked Proxy'));
  });
});

describe('signal.pipe(...operators) and signal.subscribe(observer)', () => {
  const signal = new Signal<Numbered>('checked');

  it('pipe rejects an operator that is not a function, naming its place', () => {
    expect(typeErrorOf(() => signal.pipe(untyped<MonoTypeOperatorFunction<unknown>>(5))).message).toBe(
      'checked.pipe(): operator 1 must be a function, got the number 5. ' +
        'Pass RxJS operators, e.g. signal.pipe(filter((event) => ...), map((event) => ...)).',
    );
    expect(
      typeErrorOf(() => signal.pipe((source) => source, untyped<MonoTypeOperatorFunction<unknown>>('map'))).message,
    ).toContain('operator 2 must be a function, got the string "map"');
  });

  it('subscribe rejects an observer that is neither a function nor an object of handlers', () => {
    for (const [observer, described] of [
      [0, 'the number 0'],
      ['next', 'the string "next"'],
      [[() => undefined], 'an array'],
    ] as const) {
      expect(typeErrorOf(() => signal.subscribe(untyped(observer))).message).toBe(
        `checked.subscribe(observer): observer must be a function or an object of handlers, got ${described}. ` +
          'Pass e.g. signal.subscribe((event) => ...) or signal.subscribe({ next: (event) => ... }).',
      );
    }
    expect(signal.hasListeners()).toBe(false);
  });

  it('subscribe still takes nothing, a function, or a partial observer', () => {
    const seen: number[] = [];
    const subscriptions = [
      signal.subscribe(),
      signal.subscribe(({ n }) => seen.push(n)),
      signal.subscribe({ next: ({ n }) => seen.push(-n) }),
    ];
    signal.send(null, { n: 1 });
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    expect(seen).toEqual([1, -1]);
  });
});

describe('receiver(signals, fn, options)', () => {
  const signal = new Signal<Numbered>('checked');

  it.each<[string, unknown, string]>([
    ['an empty list', [], 'signals must be a Signal or a non-empty array of Signals, got an empty array.'],
    [
      'a non-signal',
      { name: 'x', connect: () => undefined },
      'signals must be a Signal or a non-empty array of Signals, got an object.',
    ],
    ['a list with a non-signal', [signal, 'other'], 'signals[1] must be a Signal, got the string "other".'],
  ])('rejects %s', (_label, signals, problem) => {
    expect(typeErrorOf(() => receiver(untyped<Signal<Numbered>>(signals), () => undefined)).message).toBe(
      `receiver(signals, fn): ${problem} Pass a Signal such as requestFinished, or an array of them.`,
    );
  });

  it('connects to none of the signals when the options are bad for one', () => {
    const other = new Signal<Numbered>('other');
    typeErrorOf(() => receiver([signal, other], () => undefined, untyped({ sendr: 1 })));
    expect(signal.hasListeners()).toBe(false);
    expect(other.hasListeners()).toBe(false);
  });
});

describe('pausable(paused$, options)', () => {
  const paused$ = new BehaviorSubject(false);

  it.each<[string, unknown, string]>([
    ['a boolean', true, 'the boolean true'],
    ['undefined', undefined, 'undefined'],
    ['a Promise', Promise.resolve(true), 'a Promise'],
  ])('rejects %s as paused$', (_label, value, described) => {
    expect(typeErrorOf(() => pausable(untyped(value))).message).toBe(
      `pausable(paused$): paused$ must be an Observable of booleans, got ${described}. ` +
        'Pass e.g. a BehaviorSubject<boolean>.',
    );
  });

  it('rejects options that are not an object, and unknown keys', () => {
    expect(typeErrorOf(() => pausable(paused$, untyped(5))).message).toBe(
      'pausable(): options must be an object, got the number 5.',
    );
    expect(typeErrorOf(() => pausable(paused$, untyped<PausableOptions>({ buffr: 5 }))).message).toBe(
      'pausable(): unknown option "buffr". Allowed options: buffer.',
    );
  });

  it.each<[string, unknown, string, ErrorConstructor]>([
    ['a negative number', -1, 'the number -1', RangeError],
    ['a fraction', 1.5, 'the number 1.5', TypeError],
    ['NaN', NaN, 'the number NaN', TypeError],
    ['a numeric string', '3', 'the string "3"', TypeError],
    ['null (once silently 0)', null, 'null', TypeError],
  ])('rejects %s as buffer', (_label, buffer, described, kind) => {
    expect(() => pausable(paused$, { buffer: untyped(buffer) })).toThrow(
      new kind(
        `pausable(): options.buffer must be a whole number >= 0 (or Infinity), got ${described}. ` +
          'Use 0 to drop events while paused.',
      ),
    );
    expect(() => pausable(paused$, { buffer: untyped(buffer) })).toThrow(kind);
  });
});
