/**
 * options.pipe: operators between the signal and one receiver. An operator error ends only that
 * connection and is reported; a completing operator (take(1)) ends the connection; operators that
 * shift time call the receiver later, robustly.
 */
import { asyncScheduler, debounceTime, delay, filter, map, take, tap } from 'rxjs';
import { Signal } from '../../lib/core/signal';
import { recordReports } from './support/reports';
import { until } from './support/waiting';

interface Numbered {
  n: number;
}

describe('connect({ pipe })', () => {
  const log = recordReports();

  it('an operator error ends only that connection, is reported, and is not thrown to the sender', () => {
    const signal = new Signal<Numbered, string>('operator-error');
    const failure = new Error('operator failed');
    const calls: string[] = [];
    signal.connect(({ n }) => void calls.push(`before:${n}`));
    function piped({ n }: Numbered) {
      calls.push(`piped:${n}`);
    }
    const subscription = signal.connect(piped, {
      pipe: map((event) => {
        if (event.n === 2) throw failure;
        return event;
      }),
    });
    signal.connect(({ n }) => void calls.push(`after:${n}`));

    signal.send('app', { n: 1 });
    const results = signal.send('app', { n: 2 }); // strict send: still no throw
    signal.send('app', { n: 3 });

    expect(calls).toEqual(['before:1', 'piped:1', 'after:1', 'before:2', 'after:2', 'before:3', 'after:3']);
    expect(results).toHaveLength(2);
    expect(subscription.closed).toBe(true);
    expect(signal.receivers().map((info) => info.name)).not.toContain('piped');
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({ signal, sender: 'app', receiver: piped, error: failure, event: { n: 2 } });
  });

  it('a receiver behind an operator that replaces the event still belongs to the send', () => {
    const signal = new Signal<Numbered>('replaced-event');
    const seen: number[] = [];
    const doubled = ({ n }: Numbered) => {
      seen.push(n);
      if (n > 10) throw new Error(`too big: ${n}`);
      return n;
    };
    signal.connect(doubled, { pipe: map((event) => ({ ...event, n: event.n * 2 })) });

    expect(signal.send(null, { n: 2 })).toEqual([[doubled, 4]]);
    expect(() => signal.send(null, { n: 6 })).toThrow('too big: 12'); // thrown to the sender, not reported
    expect(seen).toEqual([4, 12]);
    expect(log.reports).toEqual([]);
  });

  it('an operator error in sendRobust and asend is reported the same way', async () => {
    const signal = new Signal<Numbered>('operator-error-robust');
    const failure = new Error('operator failed');
    const failing = () => {
      throw failure;
    };
    const piped = () => 'never';
    const plain = () => 'plain';
    signal.connect(piped, { pipe: tap(failing) });
    signal.connect(plain);
    expect(signal.sendRobust(null, { n: 1 })).toEqual([[plain, 'plain']]);
    signal.connect(piped, { pipe: tap(failing) });
    expect(await signal.asend(null, { n: 2 })).toEqual([[plain, 'plain']]);
    expect(log.reports.map((report) => report.error)).toEqual([failure, failure]);
  });

  it('take(1) makes a one-shot receiver: called once, then disconnected', () => {
    const signal = new Signal<Numbered>('one-shot');
    const seen: number[] = [];
    const subscription = signal.connect(({ n }) => void seen.push(n), { pipe: take(1) });
    expect(signal.send(null, { n: 1 })).toHaveLength(1);
    expect(subscription.closed).toBe(true);
    expect(signal.hasListeners()).toBe(false);
    expect(signal.send(null, { n: 2 })).toEqual([]);
    expect(seen).toEqual([1]);
  });

  it('filter in a pipe: the receiver sees, and answers, only what passes', () => {
    const signal = new Signal<Numbered>('filtered');
    const odd = ({ n }: Numbered) => `odd ${n}`;
    signal.connect(odd, { pipe: filter((event) => event.n % 2 === 1) });
    expect(signal.send(null, { n: 1 })).toEqual([[odd, 'odd 1']]);
    expect(signal.send(null, { n: 2 })).toEqual([]);
  });

  it('an array of operators is applied in order', () => {
    const signal = new Signal<Numbered>('operator-array');
    const seen: number[] = [];
    signal.connect(({ n }) => void seen.push(n), {
      pipe: [filter((event) => event.n > 1), take(2)],
    });
    for (const n of [1, 2, 3, 4]) signal.send(null, { n });
    expect(seen).toEqual([2, 3]);
    expect(signal.hasListeners()).toBe(false);
  });

  it('a receiver error in a strict send through a pipe stops the send like a plain one', () => {
    const signal = new Signal<Numbered>('piped-throws');
    const failure = new Error('receiver failed');
    const calls: string[] = [];
    signal.connect(
      () => {
        calls.push('piped');
        throw failure;
      },
      { pipe: filter(() => true) },
    );
    signal.connect(() => void calls.push('after'));
    expect(() => signal.send(null, { n: 1 })).toThrow(failure);
    expect(calls).toEqual(['piped']);
    expect(signal.hasListeners()).toBe(true); // a receiver error does not end the connection
    expect(log.reports).toEqual([]); // thrown to the caller, so not reported
  });

  it('delay: the receiver runs later, outside the send; its error is reported, never thrown', async () => {
    const signal = new Signal<Numbered, string>('delayed');
    const failure = new Error('late failure');
    const seen: number[] = [];
    function lateReceiver({ n }: Numbered) {
      seen.push(n);
      if (n === 1) throw failure;
      return 'late';
    }
    signal.connect(lateReceiver, { pipe: delay(1, asyncScheduler) });
    expect(signal.send('app', { n: 1 })).toEqual([]); // not called during the send
    expect(signal.send('app', { n: 2 })).toEqual([]);
    await until(() => seen.length === 2);
    expect(seen).toEqual([1, 2]);
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({ signal, sender: 'app', receiver: lateReceiver, error: failure });
    expect(signal.hasListeners()).toBe(true);
  });

  it('delay: a rejected Promise of a later call is reported', async () => {
    const signal = new Signal<Numbered>('delayed-rejection');
    const failure = new Error('late rejection');
    async function rejectsLater() {
      throw failure;
    }
    signal.connect(rejectsLater, { pipe: delay(1) });
    signal.send(null, { n: 1 });
    await until(() => log.reports.length === 1);
    expect(log.reports[0]).toMatchObject({ receiver: rejectsLater, error: failure });
  });

  it('debounceTime: only the last of a burst reaches the receiver', async () => {
    const signal = new Signal<Numbered>('debounced');
    const seen: number[] = [];
    signal.connect(({ n }) => void seen.push(n), { pipe: debounceTime(5) });
    for (const n of [1, 2, 3]) signal.send(null, { n });
    await until(() => seen.length === 1);
    expect(seen).toEqual([3]);
  });

  it('an operator error that happens later (after a delay) ends the connection and is reported', async () => {
    const signal = new Signal<Numbered, string>('late-operator-error');
    const failure = new Error('late operator failure');
    function neverCalled() {}
    const subscription = signal.connect(neverCalled, {
      sender: 'app',
      pipe: [
        delay(1),
        tap(() => {
          throw failure;
        }),
      ],
    });
    signal.send('app', { n: 1 });
    await until(() => subscription.closed);
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({ signal, sender: 'app', receiver: neverCalled, error: failure });
    expect(signal.hasListeners()).toBe(false);
  });

  it('disconnecting while a delayed event is in flight cancels its delivery', async () => {
    const signal = new Signal<Numbered>('cancelled');
    const seen: number[] = [];
    const subscription = signal.connect(({ n }) => void seen.push(n), { pipe: delay(1) });
    const witness: number[] = [];
    signal.connect(({ n }) => void witness.push(n), { pipe: delay(2) });
    signal.send(null, { n: 1 });
    subscription.unsubscribe();
    await until(() => witness.length === 1); // a later delay has fired, so ours would have too
    expect(seen).toEqual([]);
  });

  it("asendRobust never rejects when a pipe hands its receiver something that is not an event and the receiver fails (the send's event is reported)", async () => {
    const signal = new Signal<Numbered, string>('piped-non-event');
    const failure = new Error('receiver failed');
    function fails() {
      return Promise.reject(failure);
    }
    function throws() {
      throw failure;
    }
    const toNull = map(() => null as never);
    signal.connect(fails, { pipe: toNull });
    signal.connect(throws, { pipe: toNull });
    const results = await signal.asendRobust('app', { n: 1 });
    expect(results).toEqual([
      [fails, failure],
      [throws, failure],
    ]);
    expect(log.reports.map(({ receiver, sender, event }) => [receiver, sender, (event as Numbered).n])).toEqual([
      [fails, 'app', 1],
      [throws, 'app', 1],
    ]);
  });

  it('sendRobust reports, and does not throw, when a pipe hands its failing receiver something that is not an event', () => {
    const signal = new Signal<Numbered, string>('piped-non-event-robust');
    const failure = new Error('receiver failed');
    function throws() {
      throw failure;
    }
    signal.connect(throws, { pipe: map(() => null as never) });
    expect(signal.sendRobust('app', { n: 1 })).toEqual([[throws, failure]]);
    expect(log.reports.map(({ receiver, sender, event }) => [receiver, sender, event])).toEqual([
      [throws, 'app', null],
    ]);
  });
});
