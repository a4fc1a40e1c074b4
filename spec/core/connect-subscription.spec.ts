/**
 * A connection is an RxJS Subscription: connecting twice with the same key and sender returns the
 * existing one, unsubscribing disconnects, and disconnecting closes it.
 */
import { Subscription } from 'rxjs';
import { Signal } from '../../lib/core/signal';

interface Numbered {
  n: number;
}

describe('connect() and its Subscription', () => {
  it('returns an rxjs Subscription; unsubscribe() disconnects', () => {
    const signal = new Signal<Numbered>('subscription');
    const handler = () => 'handled';
    const subscription = signal.connect(handler);
    expect(subscription).toBeInstanceOf(Subscription);
    expect(subscription.closed).toBe(false);
    subscription.unsubscribe();
    expect(subscription.closed).toBe(true);
    expect(signal.hasListeners()).toBe(false);
    expect(signal.disconnect(handler)).toBe(false);
    subscription.unsubscribe(); // idempotent
  });

  it('disconnect() closes the Subscription and runs what was added to it', () => {
    const signal = new Signal<Numbered>('disconnect-closes');
    const handler = () => undefined;
    const subscription = signal.connect(handler);
    let tornDown = 0;
    subscription.add(() => tornDown++);
    expect(signal.disconnect(handler)).toBe(true);
    expect(subscription.closed).toBe(true);
    expect(tornDown).toBe(1);
  });

  it('the same receiver and sender: the existing Subscription, one call per send', () => {
    const signal = new Signal<Numbered, object>('same-receiver');
    const app = {};
    const handler = () => undefined;
    const first = signal.connect(handler, { sender: app });
    expect(signal.connect(handler, { sender: app })).toBe(first);
    expect(signal.send(app, { n: 1 })).toHaveLength(1);
  });

  it('the same dispatchUid and sender: the existing Subscription, even for another function', () => {
    const signal = new Signal<Numbered, object>('same-uid');
    const app = {};
    const uid = Symbol('audit');
    const first = signal.connect(() => 'first', { dispatchUid: uid, sender: app });
    expect(signal.connect(() => 'second', { dispatchUid: uid, sender: app })).toBe(first);
    expect(signal.send(app, { n: 1 }).map(([, response]) => response)).toEqual(['first']);
  });

  it('another sender, or none, makes another connection', () => {
    const signal = new Signal<Numbered, object>('other-sender');
    const app = {};
    const other = {};
    const handler = () => undefined;
    const forApp = signal.connect(handler, { sender: app });
    const forOther = signal.connect(handler, { sender: other });
    const forAny = signal.connect(handler);
    expect(new Set([forApp, forOther, forAny]).size).toBe(3);
    expect(signal.send(app, { n: 1 })).toHaveLength(2); // the app's connection and the any-sender one
    const uidForApp = signal.connect(handler, { sender: app, dispatchUid: 'uid' });
    expect(uidForApp).not.toBe(forApp); // a uid connection is keyed by the uid, not the function
    expect(signal.receivers()).toHaveLength(4);
  });

  it('a uid connection is disconnected by its uid, not by its function', () => {
    const signal = new Signal<Numbered>('uid-disconnect');
    const handler = () => undefined;
    signal.connect(handler, { dispatchUid: 'uid' });
    expect(signal.disconnect(handler)).toBe(false);
    expect(signal.disconnect(handler, { dispatchUid: 'other' })).toBe(false);
    expect(signal.disconnect(undefined, { dispatchUid: 'uid' })).toBe(true);
  });

  it('a bound connection is disconnected only with its sender', () => {
    const signal = new Signal<Numbered, object>('bound-disconnect');
    const app = {};
    const handler = () => undefined;
    signal.connect(handler, { sender: app });
    expect(signal.disconnect(handler)).toBe(false);
    expect(signal.disconnect(handler, { sender: {} })).toBe(false);
    expect(signal.disconnect(handler, { sender: app })).toBe(true);
  });

  it('after a connection ended, connecting again makes a new one', () => {
    const signal = new Signal<Numbered>('reconnect');
    const handler = () => undefined;
    const first = signal.connect(handler);
    first.unsubscribe();
    const second = signal.connect(handler);
    expect(second).not.toBe(first);
    expect(second.closed).toBe(false);
  });
});
