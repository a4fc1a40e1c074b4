/**
 * options.weak: true holds the receiver through a WeakRef; once it is garbage-collected the
 * connection is gone. (Django's weak tests are in django-dispatch.spec.ts; these cover the rest.)
 */
import { BehaviorSubject, type Subscription } from 'rxjs';
import { Signal, type EventOperator } from '../../lib/core/signal';
import { pausable } from '../../lib/core/pausable';
import { collectGarbageUntil } from './support/gc';
import { until } from './support/waiting';

interface Numbered {
  n: number;
}

describe('weak receivers', () => {
  it('a weak receiver still referenced elsewhere stays connected and is called', async () => {
    const signal = new Signal<Numbered>('weak-alive');
    const handler = ({ n }: Numbered) => n;
    signal.connect(handler, { weak: true });
    const probe = allocateAndForget();
    await collectGarbageUntil(() => probe.deref() === undefined); // a collection did happen
    expect(signal.send(null, { n: 1 })).toEqual([[handler, 1]]);
    expect(signal.receivers()[0]).toMatchObject({ weak: true, receiver: handler });
  });

  it('once collected, hasListeners() turns false and the Subscription closes', async () => {
    const signal = new Signal<Numbered>('weak-gone');
    const { ref, subscription } = connectWeakly(signal);
    expect(signal.hasListeners()).toBe(true);
    await collectGarbageUntil(() => ref.deref() === undefined);
    expect(signal.hasListeners()).toBe(false);
    expect(subscription.closed).toBe(true);
    expect(signal.receivers()).toEqual([]);
  });

  it('a collected receiver is cleaned up on its own, without any call into the signal', async () => {
    // The FinalizationRegistry ends the connection even if nobody sends or asks.
    const signal = new Signal<Numbered>('weak-finalized');
    const { ref, subscription } = connectWeakly(signal);
    await collectGarbageUntil(() => ref.deref() === undefined);
    await until(() => subscription.closed);
  });

  it('a collected receiver with a pipe is gone too, and releases its operators', async () => {
    const signal = new Signal<Numbered>('weak-piped');
    const paused$ = new BehaviorSubject(false);
    const { ref } = connectWeakly(signal, pausable(paused$));
    expect(paused$.observed).toBe(true);
    await collectGarbageUntil(() => ref.deref() === undefined);
    expect(signal.send(null, { n: 1 })).toEqual([]);
    expect(signal.hasListeners()).toBe(false);
    expect(paused$.observed).toBe(false);
  });

  it('one function, connected weakly to one sender and strongly to another: two independent connections', () => {
    const signal = new Signal<Numbered, string>('weak-and-strong');
    const handler = ({ n }: Numbered) => n;
    signal.connect(handler, { weak: true, sender: 'a' });
    const strong = signal.connect(handler, { sender: 'b' });
    expect(signal.send('a', { n: 1 })).toEqual([[handler, 1]]);
    strong.unsubscribe();
    expect(signal.receivers()).toHaveLength(1);
  });
});

function allocateAndForget(): WeakRef<object> {
  return new WeakRef({ garbage: true });
}

function connectWeakly(
  signal: Signal<Numbered>,
  pipe?: EventOperator<Numbered>,
): { ref: WeakRef<object>; subscription: Subscription } {
  const handler = ({ n }: Numbered) => n;
  const subscription = signal.connect(handler, { weak: true, pipe });
  return { ref: new WeakRef(handler), subscription };
}
