/**
 * The flags every send reads instead of `channel.hasSubscribers` (lib/core/observers.ts): they
 * must follow every way Node offers to gain or lose a subscriber or a store, on every one of the
 * six channels, and a send must then publish or trace exactly when the flags say so.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Signal, profileReceivers } from '../../lib';
import { observers } from '../../lib/core/observers';

const PHASES = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;
const ignore = () => undefined;

/** The flags, and whether a send and a receiver call were really observed. */
function observedNow(): {
  flags: [sends: boolean, calls: boolean, traced: boolean];
  published: boolean;
  traced: boolean;
} {
  let published = false;
  let traced = false;
  const onSend = () => (published = true);
  const onStart = () => (traced = true);
  const flags: [boolean, boolean, boolean] = [observers.sends, observers.calls, observers.tracedCalls];
  // Probes of their own would flip the flags: read the flags first, then look with a store, which
  // Node counts as a subscriber too, only on channels already active.
  const signal = new Signal('probe');
  signal.connect(ignore);
  const sendChannel = diagnosticsChannel.channel('rx-signals:send');
  const startChannel = diagnosticsChannel.channel('tracing:rx-signals:receiver:start');
  if (sendChannel.hasSubscribers) sendChannel.subscribe(onSend);
  if (startChannel.hasSubscribers) startChannel.subscribe(onStart);
  signal.send('app');
  sendChannel.unsubscribe(onSend);
  startChannel.unsubscribe(onStart);
  return { flags, published, traced };
}

afterEach(() => {
  // Nothing a test subscribed may stay.
  expect([observers.sends, observers.calls, observers.tracedCalls]).toEqual([false, false, false]);
});

describe('observers: the flags follow the channels', () => {
  it('start false, with nothing subscribed', () => {
    expect(observedNow()).toEqual({ flags: [false, false, false], published: false, traced: false });
  });

  it('follow diagnosticsChannel.subscribe/unsubscribe and channel.subscribe/unsubscribe on rx-signals:send', () => {
    diagnosticsChannel.subscribe('rx-signals:send', ignore);
    expect(observedNow()).toEqual({ flags: [true, false, false], published: true, traced: false });
    diagnosticsChannel.unsubscribe('rx-signals:send', ignore);
    expect(observers.sends).toBe(false);
    const channel = diagnosticsChannel.channel('rx-signals:send');
    channel.subscribe(ignore);
    channel.subscribe(console.log);
    channel.unsubscribe(ignore);
    expect(observers.sends).toBe(true); // one subscriber left
    channel.unsubscribe(console.log);
    expect(channel.unsubscribe(console.log)).toBe(false); // Node's answer, as without the watch
    expect(observedNow().flags).toEqual([false, false, false]);
  });

  it.each(PHASES)("follow a subscriber of the receiver TracingChannel's %s channel alone", (phase) => {
    diagnosticsChannel.subscribe(`tracing:rx-signals:receiver:${phase}`, ignore);
    expect(observedNow().flags).toEqual([false, true, true]);
    diagnosticsChannel.unsubscribe(`tracing:rx-signals:receiver:${phase}`, ignore);
    expect(observedNow().flags).toEqual([false, false, false]);
  });

  it('follow tracingChannel.subscribe/unsubscribe, and traced calls really are traced', () => {
    const handlers = { start: ignore, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore };
    const channel = diagnosticsChannel.tracingChannel('rx-signals:receiver');
    channel.subscribe(handlers);
    expect(observedNow()).toEqual({ flags: [false, true, true], published: false, traced: true });
    channel.unsubscribe(handlers);
    expect(observedNow().flags).toEqual([false, false, false]);
  });

  it('follow bindStore/unbindStore: a store alone makes the channel observed', () => {
    const store = new AsyncLocalStorage();
    const start = diagnosticsChannel.channel('tracing:rx-signals:receiver:start');
    start.bindStore(store, () => 'context');
    expect(observedNow().flags).toEqual([false, true, true]);
    expect(start.unbindStore(store)).toBe(true);
    expect(start.unbindStore(store)).toBe(false);
    expect(observedNow().flags).toEqual([false, false, false]);
  });

  it('stay true to the channel when Node refuses a subscriber', () => {
    const channel = diagnosticsChannel.channel('rx-signals:send');
    expect(() => channel.subscribe(5 as never)).toThrow(/must be of type function/);
    // Node leaves the channel active but empty after such a refusal: the flag says what Node says.
    expect(observers.sends).toBe(channel.hasSubscribers);
    channel.subscribe(ignore);
    channel.unsubscribe(ignore);
    expect(observers.sends).toBe(false);
  });

  it('count running profilers in calls, with tracing or without', () => {
    const one = profileReceivers();
    const two = profileReceivers();
    expect([observers.calls, observers.tracedCalls]).toEqual([true, false]);
    one.stop();
    expect(observers.calls).toBe(true);
    diagnosticsChannel.subscribe('tracing:rx-signals:receiver:end', ignore);
    two.stop();
    expect([observers.calls, observers.tracedCalls]).toEqual([true, true]);
    diagnosticsChannel.unsubscribe('tracing:rx-signals:receiver:end', ignore);
    expect(observers.calls).toBe(false);
  });

  it('keep the channels working as Node documents them', () => {
    const messages: unknown[] = [];
    const onMessage = (message: unknown, name: string | symbol) => messages.push([name, message]);
    diagnosticsChannel.subscribe('rx-signals:send', onMessage);
    const signal = new Signal<{ n: number }>('documented');
    signal.send('app', { n: 1 });
    diagnosticsChannel.unsubscribe('rx-signals:send', onMessage);
    expect(messages).toEqual([['rx-signals:send', { signal, sender: 'app', event: { n: 1, signal, sender: 'app' } }]]);
    expect(Object.keys(diagnosticsChannel.channel('rx-signals:send'))).not.toContain('subscribe');
  });
});
