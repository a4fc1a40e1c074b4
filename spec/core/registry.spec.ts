/**
 * Blinker's namespace and meta-signals: namedSignal(), listSignals(), receiverConnected and
 * receiverDisconnected, and receivers({ sender }).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { BehaviorSubject, Subject, map, takeUntil } from 'rxjs';
import { receiverConnected, receiverDisconnected } from '../../lib/core/meta-signals';
import { namedSignal } from '../../lib/core/named-signal';
import { pausable } from '../../lib/core/pausable';
import { receiver } from '../../lib/core/receiver';
import { Signal } from '../../lib/core/signal';
import { listSignals } from '../../lib/core/signal-list';
import { SEND_CHANNEL } from '../../lib/core/tracing';
import type { ReceiverChangeArgs, SignalArgs, SignalEvent } from '../../lib/core/types';
import { collectGarbageUntil } from './support/gc';

interface Numbered {
  n: number;
}

type Change = SignalEvent<ReceiverChangeArgs, Signal<object, unknown>>;

/** Records both meta-signals while a test runs. */
function recordChanges() {
  const changes: { kind: 'connected' | 'disconnected'; event: Change }[] = [];
  const subscription = receiver([receiverConnected, receiverDisconnected], (event) =>
    changes.push({ kind: event.signal === receiverConnected ? 'connected' : 'disconnected', event }),
  );
  return { changes, stop: () => subscription.unsubscribe() };
}

describe('namedSignal(name)', () => {
  it('is the same instance for the same name, whoever asks, and a new one for a new name', () => {
    const paid = namedSignal<{ invoice: string }>('registry.invoicePaid');
    expect(namedSignal<{ invoice: string }>('registry.invoicePaid')).toBe(paid);
    expect(namedSignal('registry.invoiceVoided')).not.toBe(paid);
    expect(paid).toBeInstanceOf(Signal);
    expect(paid.name).toBe('registry.invoicePaid');
  });

  it('is its own namespace: new Signal(name) is another signal', () => {
    expect(namedSignal('registry.own')).not.toBe(new Signal('registry.own'));
  });

  it('holds its signals strongly: connections survive garbage collection', async () => {
    const calls: number[] = [];
    namedSignal<Numbered>('registry.kept').connect(({ n }) => calls.push(n));
    const probe = new WeakRef({});
    await collectGarbageUntil(() => probe.deref() === undefined);
    namedSignal<Numbered>('registry.kept').send(null, { n: 1 });
    expect(calls).toEqual([1]);
  });

  it.each<[unknown, string]>([
    ['', 'the string ""'],
    [42, 'the number 42'],
    [undefined, 'undefined'],
  ])('refuses %p as a name', (name, described) => {
    expect(() => namedSignal(name as string)).toThrow(
      new TypeError(
        `namedSignal(name): the name must be a non-empty string, got ${described}. ` +
          "Name the signal after what happened, e.g. namedSignal('invoicePaid').",
      ),
    );
  });
});

describe('listSignals()', () => {
  it('lists every live signal in creation order, made by new Signal or namedSignal', () => {
    const first = new Signal('registry.first');
    const second = namedSignal('registry.second');
    const third = new Signal('registry.third');
    const listed = listSignals();
    expect(listed).toEqual(
      expect.arrayContaining<unknown>([first, second, third, receiverConnected, receiverDisconnected]),
    );
    const positions = [first, second, third].map((signal) => listed.indexOf(signal));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect((listed as object[]).indexOf(receiverConnected)).toBeLessThan(positions[0]);
  });

  it('holds signals weakly: an unreferenced signal drops out once collected', async () => {
    const ref = (() => new WeakRef(new Signal('registry.forgotten')))();
    expect(listSignals().some((signal) => signal.name === 'registry.forgotten')).toBe(true);
    await collectGarbageUntil(() => ref.deref() === undefined);
    expect(listSignals().some((signal) => signal.name === 'registry.forgotten')).toBe(false);
  });

  it('stays bounded when many signals come and go', async () => {
    const refs = Array.from({ length: 1_000 }, (_, index) => new WeakRef(new Signal(`registry.churn${index}`)));
    await collectGarbageUntil(() => refs.every((ref) => ref.deref() === undefined));
    new Signal('registry.after-churn'); // creation compacts the list now and then
    expect(listSignals().filter((signal) => signal.name.startsWith('registry.churn'))).toEqual([]);
  });
});

describe('receiverConnected and receiverDisconnected', () => {
  it('announce a connection made and ended, with the signal as sender and info as receivers() gives it', () => {
    const { changes, stop } = recordChanges();
    const signal = new Signal<Numbered, string>('registry.announced');
    const audit = () => undefined;
    const subscription = signal.connect(audit, { sender: 'app', dispatchUid: 'audit', pipe: map((event) => event) });
    const info = signal.receivers()[0];
    subscription.unsubscribe();
    stop();

    expect(changes.map(({ kind, event }) => [kind, event.sender, event.receiver, event.info])).toEqual([
      ['connected', signal, audit, info],
      ['disconnected', signal, audit, info],
    ]);
    expect(info).toMatchObject({ name: 'audit', bound: true, sender: 'app', dispatchUid: 'audit', operators: 1 });
  });

  it('announce every way a connection ends: disconnect(), its pipe completing, receiver() unsubscribing', () => {
    const signal = new Signal<Numbered>('registry.endings');
    const stopPipe = new Subject<void>();
    const byDisconnect = () => undefined;
    const byPipe = () => undefined;
    const byReceiver = () => undefined;
    signal.connect(byDisconnect);
    signal.connect(byPipe, { pipe: takeUntil(stopPipe) });
    const both = receiver([signal, new Signal<Numbered>('registry.other')], byReceiver);
    const { changes, stop } = recordChanges();
    signal.disconnect(byDisconnect);
    stopPipe.next();
    both.unsubscribe();
    stop();
    expect(changes.map(({ kind, event }) => [kind, event.sender.name, event.receiver])).toEqual([
      ['disconnected', 'registry.endings', byDisconnect],
      ['disconnected', 'registry.endings', byPipe],
      ['disconnected', 'registry.endings', byReceiver],
      ['disconnected', 'registry.other', byReceiver],
    ]);
  });

  it('announce a collected weak receiver as ended, with no receiver and the name <collected>', async () => {
    const signal = new Signal<Numbered>('registry.weak');
    const changes: unknown[] = []; // what the events tell, not the events: they hold the receiver
    const meta = receiver([receiverConnected, receiverDisconnected], (event) =>
      changes.push([event.signal.name, event.receiver === undefined, event.info.name]),
    );
    const ref = (() => {
      const fleeting = () => undefined;
      signal.connect(fleeting, { weak: true });
      return new WeakRef(fleeting);
    })();
    try {
      await collectGarbageUntil(() => ref.deref() === undefined);
      signal.send(null, { n: 1 }); // the send finds the collected receiver and ends its connection
    } finally {
      meta.unsubscribe();
    }
    expect(changes).toEqual([
      ['receiverConnected', false, 'fleeting'],
      ['receiverDisconnected', true, '<collected>'],
    ]);
  });

  it('announce nothing for a duplicate connect, a connect that fails, or connections to themselves', () => {
    const signal = new Signal<Numbered>('registry.quiet');
    const handler = () => undefined;
    signal.connect(handler);
    const { changes, stop } = recordChanges();
    signal.connect(handler); // the same (receiver, sender): nothing new
    expect(() => signal.connect(() => undefined, { pipe: (() => 5) as never })).toThrow(TypeError);
    receiverConnected.connect(handler).unsubscribe();
    receiverDisconnected.subscribe().unsubscribe();
    stop();
    expect(changes).toEqual([]);
  });

  it('are sent robustly: a failing meta receiver does not stop the connect', () => {
    const failing = receiverConnected.connect(() => {
      throw new Error('meta receiver failed');
    });
    const reports: unknown[] = [];
    const errors = receiverConnected.subscribe(); // an Observable subscriber counts as listening too
    const signal = new Signal<Numbered>('registry.robust');
    const seen: number[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args) => reports.push(args[1]));
    try {
      signal.connect(({ n }) => seen.push(n));
    } finally {
      spy.mockRestore();
      failing.unsubscribe();
      errors.unsubscribe();
    }
    signal.send(null, { n: 1 });
    expect(seen).toEqual([1]);
    expect(reports).toEqual([new Error('meta receiver failed')]);
  });

  it('cost nothing while nobody listens: not even the diagnostics channel sees them', () => {
    const published: string[] = [];
    const onSend = (message: unknown) => published.push((message as { signal: Signal<SignalArgs> }).signal.name);
    diagnosticsChannel.subscribe(SEND_CHANNEL, onSend);
    try {
      new Signal<Numbered>('registry.unwatched').connect(() => undefined).unsubscribe();
    } finally {
      diagnosticsChannel.unsubscribe(SEND_CHANNEL, onSend);
    }
    expect(published).toEqual([]);
  });
});

describe('signal.receivers({ sender })', () => {
  it('gives only the connections a send from that sender would reach, in connection order', () => {
    const signal = new Signal<Numbered, string>('registry.reach');
    const names = (sender?: string) =>
      signal
        .receivers(sender === undefined ? undefined : { sender })
        .map((info) => `${info.name}:${info.bound ? info.sender : '*'}`);
    const a = () => undefined;
    const b = () => undefined;
    const c = () => undefined;
    signal.connect(a, { sender: 'x' });
    signal.connect(b);
    signal.connect(c, { sender: 'y' });
    signal.connect(a); // Django's keys: (a, any sender) is a second connection
    expect(names()).toEqual(['a:x', 'b:*', 'c:y', 'a:*']);
    expect(names('x')).toEqual(['a:x', 'b:*', 'a:*']);
    expect(names('y')).toEqual(['b:*', 'c:y', 'a:*']);
    expect(names('z')).toEqual(['b:*', 'a:*']);
    expect(signal.receivers({ sender: undefined }).map((info) => info.name)).toEqual(['b', 'a']);
  });

  it('one receiver connected for any sender and again for sender x is two connections: send(x) calls it twice', () => {
    const signal = new Signal<Numbered, string>('registry.twice');
    const calls: string[] = [];
    const audit = ({ sender }: SignalEvent<Numbered, string>) => calls.push(sender);
    signal.connect(audit);
    signal.connect(audit, { sender: 'x' });
    signal.send('x', { n: 1 });
    signal.send('y', { n: 2 });
    expect(calls).toEqual(['x', 'x', 'y']);
    expect(signal.receivers({ sender: 'x' })).toHaveLength(2);
  });

  it('tells a paused connection, and refuses bad options', () => {
    const signal = new Signal<Numbered, string>('registry.options');
    signal.connect(() => undefined, { sender: 'x', pipe: pausable(new BehaviorSubject(true)) });
    expect(signal.receivers({ sender: 'x' })[0]).toMatchObject({ paused: true, operators: 1 });
    expect(() => signal.receivers(5 as never)).toThrow(
      new TypeError('registry.options.receivers(): options must be an object, got the number 5.'),
    );
    expect(() => signal.receivers({ sendr: 'x' } as never)).toThrow(
      new TypeError('registry.options.receivers(): unknown option "sendr". Allowed options: sender.'),
    );
  });
});
