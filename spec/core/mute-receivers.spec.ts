/**
 * Muting by receiver (`signal.muteReceivers(selectors?, appliesTo?)`, internal): the core of
 * `muted(signals, fn, { receivers })` and of `testClient`'s `mute`. A selector names a receiver
 * (its function or its dispatch uid), wherever, whenever and by whomever it is connected; nothing
 * is disconnected, so order is unchanged afterwards.
 */
import { BehaviorSubject, map } from 'rxjs';
import { pausable } from '../../lib/core/pausable';
import { receiver } from '../../lib/core/receiver';
import { Signal } from '../../lib/core/signal';
import { collectGarbageUntil } from './support/gc';
import { recordReports } from './support/reports';

interface Numbered {
  n: number;
}

const reportLog = recordReports();

/** A signal with receivers that log their name and the event's n. */
function loggingSignal() {
  const signal = new Signal<Numbered, string>('muting');
  const log: string[] = [];
  const named = (name: string) => {
    const fn = ({ n }: Numbered) => log.push(`${name}${n}`);
    Object.defineProperty(fn, 'name', { value: name });
    return fn;
  };
  return { signal, log, named };
}

describe('signal.muteReceivers(selectors)', () => {
  it('mutes only the named function; the others run, in order, and it runs again after release', () => {
    const { signal, log, named } = loggingSignal();
    const [a, cleanup, c] = [named('a'), named('cleanup'), named('c')];
    signal.connect(a);
    signal.connect(cleanup);
    signal.connect(c);

    const release = signal.muteReceivers([cleanup]);
    const results = signal.send('app', { n: 1 });
    release();
    signal.send('app', { n: 2 });

    expect(log).toEqual(['a1', 'c1', 'a2', 'cleanup2', 'c2']);
    expect(results.map(([fn]) => fn)).toEqual([a, c]); // a muted receiver has no result
    expect(signal.receivers().map((info) => info.name)).toEqual(['a', 'cleanup', 'c']);
  });

  it('mutes by dispatch uid (string or symbol), whatever function was connected with it', () => {
    const { signal, log, named } = loggingSignal();
    const uid = Symbol('db');
    signal.connect(named('byString'), { dispatchUid: 'myapp.cleanup' });
    signal.connect(named('bySymbol'), { dispatchUid: uid });
    signal.connect(named('other'));

    const release = signal.muteReceivers(['myapp.cleanup', uid]);
    signal.send('app', { n: 1 });
    release();
    expect(log).toEqual(['other1']);
  });

  it('mutes every connection of the receiver: any sender, bound to a sender, through receiver() on several signals', () => {
    const { signal, log, named } = loggingSignal();
    const other = new Signal<Numbered, string>('other');
    const cleanup = named('cleanup');
    signal.connect(cleanup);
    signal.connect(cleanup, { sender: 'app' }); // Django's keys: a second connection
    receiver([signal, other], cleanup, { dispatchUid: 'cleanup-uid' });

    signal.send('app', { n: 1 });
    expect(log).toEqual(['cleanup1', 'cleanup1', 'cleanup1']);
    log.length = 0;

    const release = signal.muteReceivers([cleanup]);
    signal.send('app', { n: 2 });
    other.send('app', { n: 3 }); // a mute is per signal
    release();
    expect(log).toEqual(['cleanup3']);
  });

  it('mutes a receiver connected after the mute started (a selector names a receiver, not a connection)', () => {
    const { signal, log, named } = loggingSignal();
    const late = named('late');
    const release = signal.muteReceivers([late, 'late-uid']);
    signal.connect(late);
    signal.connect(named('lateByUid'), { dispatchUid: 'late-uid' });
    signal.send('app', { n: 1 });
    release();
    signal.send('app', { n: 2 });
    expect(log).toEqual(['late2', 'lateByUid2']);
  });

  it('mutes a receiver behind options.pipe: its events do not enter the pipe, and what the pipe lets out later is muted too', () => {
    const { signal, log, named } = loggingSignal();
    const paused$ = new BehaviorSubject(true);
    const held = named('held');
    signal.connect(held, { pipe: pausable(paused$, { buffer: 10 }) });
    signal.connect(named('mapped'), { pipe: map((event) => ({ ...event, n: event.n * 10 })) });

    signal.send('app', { n: 1 }); // held by the paused pipe
    const release = signal.muteReceivers([held, 'nothing']);
    signal.send('app', { n: 2 }); // muted before the pipe: never held
    paused$.next(false); // the held event comes out during the mute: muted on delivery
    release();
    signal.send('app', { n: 3 });
    expect(log).toEqual(['mapped10', 'mapped20', 'held3', 'mapped30']);
  });

  it('matches a weak receiver by its function, and holds it no longer than the mute', async () => {
    const { signal, log } = loggingSignal();
    const ref = (() => {
      const weak = ({ n }: Numbered) => log.push(`weak${n}`);
      signal.connect(weak, { weak: true });
      const release = signal.muteReceivers([weak]);
      signal.send('app', { n: 1 });
      release();
      signal.send('app', { n: 2 });
      return new WeakRef(weak);
    })();
    expect(log).toEqual(['weak2']);
    await collectGarbageUntil(() => ref.deref() === undefined);
    expect(signal.hasListeners()).toBe(false);
  });

  it('without selectors mutes every receiver; an empty list mutes none', () => {
    const { signal, log, named } = loggingSignal();
    signal.connect(named('a'));
    signal.connect(named('b'), { pipe: map((event) => event) });
    const all = signal.muteReceivers();
    signal.send('app', { n: 1 });
    all();
    const none = signal.muteReceivers([]);
    signal.send('app', { n: 2 });
    none();
    expect(log).toEqual(['a2', 'b2']);
  });

  it('nests, and a release is idempotent: releasing twice does not end another mute', () => {
    const { signal, log, named } = loggingSignal();
    const a = named('a');
    const b = named('b');
    signal.connect(a);
    signal.connect(b);
    const outer = signal.muteReceivers([a]);
    const inner = signal.muteReceivers([a, b]);
    signal.send('app', { n: 1 });
    inner();
    inner();
    signal.send('app', { n: 2 }); // a still muted by the outer mute
    outer();
    signal.send('app', { n: 3 });
    expect(log).toEqual(['b2', 'a3', 'b3']);
  });

  it('Observable subscribers still see every event', () => {
    const { signal, named } = loggingSignal();
    const seen: number[] = [];
    signal.subscribe(({ n }) => seen.push(n));
    signal.connect(named('a'));
    const release = signal.muteReceivers();
    signal.send('app', { n: 1 });
    release();
    expect(seen).toEqual([1]);
  });
});

describe('signal.muteReceivers(selectors, appliesTo)', () => {
  it('mutes only for the events appliesTo accepts (per request, per sender...)', () => {
    const { signal, log, named } = loggingSignal();
    const cleanup = named('cleanup');
    signal.connect(cleanup);
    signal.connect(named('other'));
    const release = signal.muteReceivers([cleanup], (event) => event.sender === 'test-client');
    signal.send('test-client', { n: 1 });
    signal.send('browser', { n: 2 });
    release();
    expect(log).toEqual(['other1', 'cleanup2', 'other2']);
  });

  it('on a piped receiver, asks appliesTo about the event as the pipe delivers it', () => {
    const { signal, log, named } = loggingSignal();
    signal.connect(named('tens'), { pipe: map((event) => ({ ...event, n: event.n * 10 })) });
    const asked: number[] = [];
    const release = signal.muteReceivers(undefined, ({ n }) => {
      asked.push(n);
      return n >= 20;
    });
    signal.send('app', { n: 1 });
    signal.send('app', { n: 2 });
    release();
    expect(log).toEqual(['tens10']);
    expect(asked).toEqual([1, 10, 2, 20]); // on the way in, then on the way out (20 is refused there)
  });

  it('an appliesTo that throws covers nothing: the send goes on and the receiver runs', () => {
    const { signal, log, named } = loggingSignal();
    signal.connect(named('a'));
    const release = signal.muteReceivers(undefined, () => {
      throw new Error('broken filter');
    });
    expect(() => signal.send('app', { n: 1 })).not.toThrow();
    release();
    expect(log).toEqual(['a1']);
    expect(reportLog.reports).toEqual([]);
  });
});

describe('signal.muteReceivers: bad input', () => {
  const signal = new Signal<Numbered>('checked');

  it.each<[string, unknown, RegExp]>([
    [
      'a function instead of a list',
      () => undefined,
      /selectors must be an array of receivers \(functions\) or dispatch uids/,
    ],
    [
      'a number in the list',
      [1],
      /selectors\[0\] must be a receiver function or a dispatch uid \(a string or a symbol\), got the number 1/,
    ],
    ['null in the list', [() => undefined, null], /selectors\[1\] must be a receiver function or a dispatch uid/],
  ])('refuses %s with a TypeError', (_label, selectors, message) => {
    expect(() => signal.muteReceivers(selectors as never)).toThrow(TypeError);
    expect(() => signal.muteReceivers(selectors as never)).toThrow(message);
  });

  it('refuses an appliesTo that is not a function', () => {
    expect(() => signal.muteReceivers(undefined, 'request' as never)).toThrow(
      new TypeError(
        'checked.muteReceivers(): appliesTo must be a function (event) => boolean, got the string "request".',
      ),
    );
  });
});
