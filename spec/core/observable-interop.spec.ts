/**
 * A signal is an Observable of its events: from(signal), signal.pipe(...), asObservable() and
 * subscribe() see every event of every sender. Nothing can complete or error a signal.
 */
import { config, filter, firstValueFrom, from, map, take, toArray, type Subscription } from 'rxjs';
import { Signal } from '../../lib/core/signal';
import { recordReports } from './support/reports';
import { macrotasks } from './support/waiting';

interface Numbered {
  n: number;
}

describe('a signal as an Observable', () => {
  recordReports();

  it('from(signal), signal.pipe(), asObservable() and subscribe() see every event of every sender', () => {
    const signal = new Signal<Numbered, string>('interop');
    const seen: Record<string, string[]> = { from: [], pipe: [], asObservable: [], subscribe: [] };
    const describeEvent = (event: { n: number; sender: string }) => `${event.sender}:${event.n}`;
    const subscriptions: Subscription[] = [
      from(signal).subscribe((event) => seen.from.push(describeEvent(event))),
      signal.pipe(map(describeEvent)).subscribe((text) => seen.pipe.push(text)),
      signal.asObservable().subscribe((event) => seen.asObservable.push(describeEvent(event))),
      signal.subscribe((event) => seen.subscribe.push(describeEvent(event))),
    ];
    // A receiver bound to one sender does not narrow what Observable subscribers see.
    signal.connect(() => undefined, { sender: 'app' });

    signal.send('app', { n: 1 });
    signal.send('admin', { n: 2 });
    signal.sendRobust('app', { n: 3 });
    void signal.asend('cli', { n: 4 });
    void signal.asendRobust('admin', { n: 5 });

    const expected = ['app:1', 'admin:2', 'app:3', 'cli:4', 'admin:5'];
    expect(seen).toEqual({ from: expected, pipe: expected, asObservable: expected, subscribe: expected });
    subscriptions.forEach((subscription) => subscription.unsubscribe());
  });

  it('events carry the signal and the sender, and the real ones win over args of the same names', () => {
    const signal = new Signal<Numbered, string>('event-shape');
    const events: object[] = [];
    signal.subscribe((event) => events.push(event));
    signal.send('app', { n: 1 });
    // Only untyped callers can do this: the type of Args forbids these keys.
    (signal.send as (sender: string, args: object) => unknown)('app', { n: 2, signal: 'fake', sender: 'fake' });
    expect(events).toEqual([
      { n: 1, signal, sender: 'app' },
      { n: 2, signal, sender: 'app' },
    ]);
  });

  it('Observable subscribers are not receivers: they have no place in the results', () => {
    const signal = new Signal<Numbered>('not-a-receiver');
    const subscription = signal.subscribe(() => 'ignored');
    expect(signal.hasListeners()).toBe(true);
    expect(signal.send(null, { n: 1 })).toEqual([]);
    subscription.unsubscribe();
  });

  it('Observable subscribers see an event before the receivers do', () => {
    const signal = new Signal<Numbered>('observers-first');
    const order: string[] = [];
    signal.connect(() => void order.push('receiver'));
    signal.subscribe(() => order.push('observer'));
    signal.send(null, { n: 1 });
    expect(order).toEqual(['observer', 'receiver']);
  });

  it('firstValueFrom(signal) resolves with the next event', async () => {
    const signal = new Signal<Numbered>('first-value');
    const next = firstValueFrom(signal.pipe(filter((event) => event.n > 1)));
    signal.send(null, { n: 1 });
    signal.send(null, { n: 2 });
    await expect(next).resolves.toMatchObject({ n: 2 });
    expect(signal.hasListeners()).toBe(false); // firstValueFrom unsubscribed
  });
});

describe('nothing can complete or error a signal', () => {
  const log = recordReports();

  it('exposes no next/error/complete, on the signal or its Observable faces', () => {
    const signal = new Signal<Numbered>('closed-faces');
    for (const face of [signal, signal.asObservable(), signal.pipe(), from(signal)] as object[]) {
      for (const method of ['next', 'error', 'complete']) {
        expect((face as Record<string, unknown>)[method]).toBeUndefined();
      }
    }
  });

  it('a subscriber that completes (take) ends only itself', async () => {
    const signal = new Signal<Numbered>('take-completes');
    const firstTwo = firstValueFrom(signal.pipe(take(2), toArray()));
    const all: number[] = [];
    signal.subscribe(({ n }) => all.push(n));
    signal.connect(({ n }) => void all.push(-n));
    for (const n of [1, 2, 3]) signal.send(null, { n });
    expect((await firstTwo).map((event) => event.n)).toEqual([1, 2]);
    expect(all).toEqual([1, -1, 2, -2, 3, -3]);
  });

  it('an erroring raw pipe errors only its own subscriber', () => {
    const signal = new Signal<Numbered>('raw-pipe-error');
    const failure = new Error('raw pipe failed');
    const errors: unknown[] = [];
    signal
      .pipe(
        map((event) => {
          if (event.n === 2) throw failure;
          return event;
        }),
      )
      .subscribe({ error: (error: unknown) => errors.push(error) });
    const seen: number[] = [];
    signal.subscribe(({ n }) => seen.push(n));
    signal.connect(({ n }) => void seen.push(-n));
    for (const n of [1, 2, 3]) signal.send(null, { n });
    expect(errors).toEqual([failure]);
    expect(seen).toEqual([1, -1, 2, -2, 3, -3]);
    expect(log.reports).toEqual([]); // a raw subscriber is not a connection: RxJS rules
  });

  it('a raw subscriber that throws follows RxJS rules (reported by RxJS asynchronously); the signal goes on', async () => {
    // RxJS hands an observer's throw to config.onUnhandledError on a timeout (by default it
    // rethrows it, which kills a Node process: see error-isolation.spec.ts). Routing it here
    // shows that the signal itself is untouched.
    const signal = new Signal<Numbered>('raw-subscriber-throws');
    const failure = new Error('raw subscriber failed');
    const unhandled: unknown[] = [];
    const previous = config.onUnhandledError;
    config.onUnhandledError = (error) => unhandled.push(error);
    try {
      const calls: number[] = [];
      signal.subscribe(({ n }) => {
        if (n === 1) throw failure;
        calls.push(n);
      });
      const receiver = ({ n }: Numbered) => n;
      signal.connect(receiver);
      expect(signal.send(null, { n: 1 })).toEqual([[receiver, 1]]); // the send is not disturbed
      expect(signal.send(null, { n: 2 })).toEqual([[receiver, 2]]);
      expect(calls).toEqual([2]); // the throwing subscriber is still subscribed
      await macrotasks(2);
      expect(unhandled).toEqual([failure]);
    } finally {
      config.onUnhandledError = previous;
    }
  });

  it('every connection ending (operator error, take, unsubscribe) leaves the signal usable', () => {
    const signal = new Signal<Numbered>('survives');
    signal.connect(() => undefined, {
      pipe: map(() => {
        throw new Error('operator');
      }),
    });
    signal.connect(() => undefined, { pipe: take(1) });
    signal.connect(() => undefined).unsubscribe();
    signal.send(null, { n: 1 });
    expect(signal.hasListeners()).toBe(false);
    const late = ({ n }: Numbered) => n;
    signal.connect(late);
    const seen: number[] = [];
    signal.subscribe(({ n }) => seen.push(n));
    expect(signal.send(null, { n: 2 })).toEqual([[late, 2]]);
    expect(seen).toEqual([2]);
  });
});
