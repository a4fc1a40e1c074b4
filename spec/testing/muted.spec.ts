import { BehaviorSubject } from 'rxjs';
import { Signal, pausable } from '../../lib';
import { muted, pausedDuring, recordSignals } from '../../lib/testing';

const sender = {};

function setup() {
  const first = new Signal<{ n: number }, object>('first');
  const second = new Signal<{ n: number }, object>('second');
  const calls: string[] = [];
  first.connect(function a({ n }) {
    calls.push(`a${n}`);
  });
  first.connect(
    function b({ n }) {
      calls.push(`b${n}`);
    },
    { pipe: pausable(new BehaviorSubject(false)) },
  );
  second.connect(function c({ n }) {
    calls.push(`c${n}`);
  });
  return { first, second, calls };
}

describe('muted', () => {
  it('calls no receiver of the signals while fn runs; connections and order unchanged afterwards', () => {
    const { first, second, calls } = setup();
    const before = [first, second].map((signal) => signal.receivers().map((info) => info.name));
    const result = muted([first, second], () => {
      first.send(sender, { n: 1 });
      second.send(sender, { n: 1 });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toEqual([]);
    first.send(sender, { n: 2 });
    second.send(sender, { n: 2 });
    expect(calls).toEqual(['a2', 'b2', 'c2']);
    expect([first, second].map((signal) => signal.receivers().map((info) => info.name))).toEqual(before);
  });

  it('leaves other signals alone and Observable subscribers (recordings) still see the events', () => {
    const { first, second, calls } = setup();
    const recording = recordSignals([first, second]);
    muted(first, () => {
      first.send(sender, { n: 1 });
      second.send(sender, { n: 1 });
    });
    expect(calls).toEqual(['c1']);
    expect(recording.stop().map((event) => event.signal.name)).toEqual(['first', 'second']);
  });

  it('stays muted until an async fn settles, and unmutes after a throw or a rejection', async () => {
    const { first, calls } = setup();
    const pending = muted(first, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      first.send(sender, { n: 1 });
    });
    first.send(sender, { n: 2 }); // still muted: fn has not settled
    await pending;
    first.send(sender, { n: 3 });
    expect(calls).toEqual(['a3', 'b3']);

    expect(() =>
      muted(first, () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    await expect(muted(first, () => Promise.reject(new Error('async')))).rejects.toThrow('async');
    first.send(sender, { n: 4 });
    expect(calls).toEqual(['a3', 'b3', 'a4', 'b4']);
  });

  it('nests', () => {
    const { first, calls } = setup();
    muted(first, () => {
      muted(first, () => first.send(sender, { n: 1 }));
      first.send(sender, { n: 2 }); // the outer scope still mutes
    });
    first.send(sender, { n: 3 });
    expect(calls).toEqual(['a3', 'b3']);
  });

  it('rejects bad input with TypeErrors', () => {
    const { first } = setup();
    expect(() => muted([], () => undefined)).toThrow(
      /signals must be a Signal or a non-empty array of Signals, got an empty array/,
    );
    expect(() => muted([first, {} as never], () => undefined)).toThrow(/signals\[1\] must be a Signal, got an object/);
    expect(() => muted(first, undefined as never)).toThrow(/fn must be a function, got undefined/);
  });
});

describe('muted(signals, fn, { receivers })', () => {
  it('mutes only the listed receivers, behind a pipe too; every other receiver runs; order unchanged afterwards', async () => {
    const { first, second, calls } = setup();
    const b = first.receivers()[1].receiver!;
    const before = first.receivers().map((info) => info.name);
    await muted(
      [first, second],
      async () => {
        first.send(sender, { n: 1 });
        second.send(sender, { n: 1 });
      },
      { receivers: [b] },
    );
    first.send(sender, { n: 2 });
    expect(calls).toEqual(['a1', 'c1', 'a2', 'b2']);
    expect(first.receivers().map((info) => info.name)).toEqual(before);
  });

  it('names a receiver by function or dispatchUid wherever it is connected, whoever connected it, also when connected during fn', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const late = {};
    const calls: string[] = [];
    const cleanup = ({ n }: { n: number }) => calls.push(`cleanup${n}`);
    signal.connect(cleanup); // any sender
    signal.connect(cleanup, { sender }); // and this sender: a second connection (Django's keys)
    signal.connect(({ n }) => calls.push(`audit${n}`), { dispatchUid: 'audit' });
    signal.connect(({ n }) => calls.push(`other${n}`));
    muted(
      signal,
      () => {
        signal.connect(cleanup, { sender: late });
        signal.send(sender, { n: 1 });
        signal.send(late, { n: 2 });
      },
      { receivers: [cleanup, 'audit', function connectedNowhere() {}] },
    );
    expect(calls).toEqual(['other1', 'other2']);
    signal.send(sender, { n: 3 });
    expect(calls).toEqual(['other1', 'other2', 'cleanup3', 'cleanup3', 'audit3', 'other3']);
  });

  it('rejects bad options with TypeErrors', () => {
    const { first } = setup();
    expect(() => muted(first, () => undefined, { receiver: [] } as never)).toThrow(
      /unknown option "receiver"\. Allowed options: receivers/,
    );
    expect(() => muted(first, () => undefined, { receivers: 'cleanup' } as never)).toThrow(
      /options\.receivers must be an array of receivers, got the string "cleanup"/,
    );
    expect(() => muted(first, () => undefined, { receivers: [null] } as never)).toThrow(
      /options\.receivers\[0\] must be a receiver function or the dispatchUid \(a string or symbol\) it was connected with, got null/,
    );
    expect(() => muted(first, () => undefined, 'all' as never)).toThrow(/options must be an object/);
  });
});

describe('pausedDuring', () => {
  it('pauses pausable(paused$) connections while fn runs, then restores the previous value', async () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const paused$ = new BehaviorSubject(false);
    const calls: number[] = [];
    signal.connect(function other() {});
    signal.connect(({ n }) => calls.push(n), { pipe: pausable(paused$) });
    await pausedDuring(paused$, async () => {
      expect(signal.receivers().map((info) => info.paused)).toEqual([false, true]);
      signal.send(sender, { n: 1 });
    });
    expect(paused$.value).toBe(false);
    signal.send(sender, { n: 2 });
    expect(calls).toEqual([2]);

    paused$.next(true);
    expect(() =>
      pausedDuring(paused$, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(paused$.value).toBe(true); // put back as it was, not forced to false
  });

  it('rejects a paused$ that is not a BehaviorSubject<boolean>', () => {
    expect(() => pausedDuring({} as never, () => undefined)).toThrow(/paused\$ must be a BehaviorSubject<boolean>/);
    expect(() => pausedDuring(new BehaviorSubject(false), 1 as never)).toThrow(/fn must be a function/);
  });
});
