/**
 * pausable(paused$, { buffer }): a paused receiver stays connected and keeps its place; held
 * events are bounded (oldest dropped, drops counted) and delivered in order on resume.
 */
import { BehaviorSubject, Observable, Subject, filter, type MonoTypeOperatorFunction } from 'rxjs';
import { Signal } from '../../lib/core/signal';
import { pausable } from '../../lib/core/pausable';
import { recordReports } from './support/reports';

interface Numbered {
  n: number;
}

/** An operator that lets everything through and counts how often its source is subscribed. */
function countingSubscriptions<T>(counter: { count: number }): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      counter.count++;
      return source.subscribe(subscriber);
    });
}

describe('pausable', () => {
  const log = recordReports();

  it('keeps the receiver connected and in its place across pause and resume', () => {
    const signal = new Signal<Numbered>('place');
    const paused$ = new BehaviorSubject(false);
    const calls: string[] = [];
    signal.connect(({ n }) => void calls.push(`a${n}`));
    signal.connect(({ n }) => void calls.push(`b${n}`), { pipe: pausable(paused$) });
    signal.connect(({ n }) => void calls.push(`c${n}`));

    signal.send(null, { n: 1 });
    paused$.next(true);
    signal.send(null, { n: 2 });
    expect(signal.hasListeners()).toBe(true);
    expect(signal.receivers()).toHaveLength(3);
    paused$.next(false);
    signal.send(null, { n: 3 });
    expect(calls).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3', 'b3', 'c3']);
  });

  it('subscribes upstream once, and to paused$ once, however often it is paused', () => {
    const signal = new Signal<Numbered>('one-subscription');
    const upstream = { count: 0 };
    const control = { count: 0 };
    const pausedSubject = new BehaviorSubject(false);
    const paused$ = new Observable<boolean>((subscriber) => {
      control.count++;
      return pausedSubject.subscribe(subscriber);
    });
    const seen: number[] = [];
    const subscription = signal.connect(({ n }) => void seen.push(n), {
      pipe: [countingSubscriptions(upstream), pausable(paused$)],
    });
    for (let n = 0; n < 5; n++) {
      pausedSubject.next(n % 2 === 0);
      signal.send(null, { n });
    }
    expect(seen).toEqual([1, 3]);
    expect(upstream.count).toBe(1);
    expect(control.count).toBe(1);
    subscription.unsubscribe();
    expect(pausedSubject.observed).toBe(false); // the control subscription is released too
  });

  it('drops events while paused by default, and counts the drops', () => {
    const signal = new Signal<Numbered>('drops');
    const paused$ = new BehaviorSubject(true);
    const operator = pausable(paused$);
    const seen: number[] = [];
    signal.connect(({ n }) => void seen.push(n), { pipe: operator });
    expect(signal.send(null, { n: 1 })).toEqual([]); // a held-back receiver has no response
    signal.send(null, { n: 2 });
    paused$.next(false);
    signal.send(null, { n: 3 });
    expect(seen).toEqual([3]);
    expect(operator.dropped).toBe(2);
    expect(operator.paused).toBe(false);
  });

  it('holds up to `buffer` events, drops the oldest beyond it, and delivers the rest in order on resume', () => {
    const signal = new Signal<Numbered>('buffer');
    const paused$ = new BehaviorSubject(false);
    const operator = pausable(paused$, { buffer: 2 });
    const seen: number[] = [];
    signal.connect(({ n }) => void seen.push(n), { pipe: operator });
    signal.send(null, { n: 0 });
    paused$.next(true);
    for (const n of [1, 2, 3, 4]) signal.send(null, { n });
    expect(seen).toEqual([0]);
    expect(operator.dropped).toBe(2); // 1 and 2, the oldest
    paused$.next(false);
    expect(seen).toEqual([0, 3, 4]);
    signal.send(null, { n: 5 });
    expect(seen).toEqual([0, 3, 4, 5]);
    expect(operator.dropped).toBe(2);
  });

  it('buffer: Infinity holds everything', () => {
    const signal = new Signal<Numbered>('unbounded');
    const paused$ = new BehaviorSubject(true);
    const operator = pausable(paused$, { buffer: Infinity });
    const seen: number[] = [];
    signal.connect(({ n }) => void seen.push(n), { pipe: operator });
    for (let n = 0; n < 100; n++) signal.send(null, { n });
    paused$.next(false);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(operator.dropped).toBe(0);
  });

  it('queues events sent while held ones drain behind them, keeping the order', () => {
    const signal = new Signal<Numbered>('drain-order');
    const paused$ = new BehaviorSubject(true);
    const seen: number[] = [];
    signal.connect(
      ({ n }) => {
        seen.push(n);
        if (n === 1) signal.send(null, { n: 3 }); // sent while 2 is still held
      },
      { pipe: pausable(paused$, { buffer: 10 }) },
    );
    signal.send(null, { n: 1 });
    signal.send(null, { n: 2 });
    paused$.next(false);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('stops draining when paused again by a receiver, and resumes where it stopped', () => {
    const signal = new Signal<Numbered>('pause-while-draining');
    const paused$ = new BehaviorSubject(true);
    const seen: number[] = [];
    signal.connect(
      ({ n }) => {
        seen.push(n);
        if (n === 2) paused$.next(true);
      },
      { pipe: pausable(paused$, { buffer: 10 }) },
    );
    for (const n of [1, 2, 3, 4]) signal.send(null, { n });
    paused$.next(false);
    expect(seen).toEqual([1, 2]);
    paused$.next(false);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('lets events pass until paused$ first emits', () => {
    const signal = new Signal<Numbered>('before-first-value');
    const paused$ = new Subject<boolean>();
    const operator = pausable(paused$);
    const seen: number[] = [];
    signal.connect(({ n }) => void seen.push(n), { pipe: operator });
    signal.send(null, { n: 1 });
    expect(operator.paused).toBe(false);
    paused$.next(true);
    signal.send(null, { n: 2 });
    expect(seen).toEqual([1]);
  });

  it('drops what it holds when disconnected', () => {
    const signal = new Signal<Numbered>('disconnect-held');
    const paused$ = new BehaviorSubject(true);
    const seen: number[] = [];
    const subscription = signal.connect(({ n }) => void seen.push(n), { pipe: pausable(paused$, { buffer: 5 }) });
    signal.send(null, { n: 1 });
    subscription.unsubscribe();
    paused$.next(false);
    expect(seen).toEqual([]);
    expect(signal.hasListeners()).toBe(false);
  });

  it('shows paused connections in receivers()', () => {
    const signal = new Signal<Numbered>('introspection');
    const paused$ = new BehaviorSubject(false);
    function closeStaleConnections() {}
    signal.connect(closeStaleConnections, { pipe: [filter(() => true), pausable(paused$)] });
    expect(signal.receivers()[0]).toMatchObject({ name: 'closeStaleConnections', operators: 2, paused: false });
    paused$.next(true);
    expect(signal.receivers()[0].paused).toBe(true);
  });

  it('held events delivered on resume run robustly: a throw is reported, not thrown to whoever resumed', () => {
    const signal = new Signal<Numbered>('robust-on-resume');
    const paused$ = new BehaviorSubject(true);
    const boom = new Error('boom');
    const seen: number[] = [];
    function failsOnOne({ n }: Numbered) {
      seen.push(n);
      if (n === 1) throw boom;
    }
    signal.connect(failsOnOne, { pipe: pausable(paused$, { buffer: 5 }) });
    signal.send('sender', { n: 1 });
    signal.send('sender', { n: 2 });
    expect(() => paused$.next(false)).not.toThrow();
    expect(seen).toEqual([1, 2]); // the failure did not stop the drain
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({
      signal,
      sender: 'sender',
      receiver: failsOnOne,
      error: boom,
      event: { n: 1 },
    });
    expect(signal.hasListeners()).toBe(true); // a receiver error does not end the connection
  });

  it('an error of paused$ ends only that connection, and is reported', () => {
    const signal = new Signal<Numbered>('paused-error');
    const paused$ = new Subject<boolean>();
    const failure = new Error('paused$ failed');
    const seen: string[] = [];
    function pausedOne({ n }: Numbered) {
      seen.push(`paused-one:${n}`);
    }
    signal.connect(pausedOne, { pipe: pausable(paused$), sender: 'app' });
    signal.connect(({ n }) => void seen.push(`other:${n}`));
    paused$.error(failure);
    signal.send('app', { n: 1 });
    expect(seen).toEqual(['other:1']);
    expect(signal.receivers()).toHaveLength(1);
    expect(log.reports).toHaveLength(1);
    // Outside a send there is no event; the sender is the connection's bound sender.
    expect(log.reports[0]).toMatchObject({ signal, sender: 'app', receiver: pausedOne, error: failure });
    expect(log.reports[0].event).toBeUndefined();
  });

  it('one pausable operator can pause several connections together; drops are counted across them', () => {
    const signal = new Signal<Numbered>('shared-operator');
    const paused$ = new BehaviorSubject(true);
    const operator = pausable(paused$);
    signal.connect(() => undefined, { pipe: operator });
    signal.connect(() => undefined, { pipe: operator });
    signal.send(null, { n: 1 });
    expect(operator.dropped).toBe(2);
  });
});
