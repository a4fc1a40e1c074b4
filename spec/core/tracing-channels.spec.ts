/**
 * The diagnostics channels: `rx-signals:send` (every send, receivers or not) and the TracingChannel
 * `rx-signals:receiver` (every receiver call, with Node's traceSync/tracePromise conventions),
 * subscribed through `node:diagnostics_channel` by name, as an APM tool would, without the
 * library's exports. A throwing channel subscriber is covered in a child process
 * (tracing-subscriber-throws.spec.ts).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { AsyncLocalStorage } from 'node:async_hooks';
import { BehaviorSubject, delay, filter, map } from 'rxjs';
import { Signal, pausable, type ReceiverTraceContext, type SendMessage } from '../../lib';
import { RECEIVER_CHANNEL, SEND_CHANNEL } from '../../lib/core/tracing';
import { recordReports } from './support/reports';
import { deferred, macrotasks } from './support/waiting';

const log = recordReports();

/** Channel subscriptions of the running test, ended after it whatever happens. */
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** Every message of `rx-signals:send` while the test runs. */
function recordSends(): { messages: SendMessage[]; stop(): void } {
  const messages: SendMessage[] = [];
  const listener = (message: unknown) => messages.push(message as SendMessage);
  diagnosticsChannel.subscribe('rx-signals:send', listener);
  const stop = () => diagnosticsChannel.unsubscribe('rx-signals:send', listener);
  cleanups.push(stop);
  return { messages, stop };
}

type Phase = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';

/** Every publication of the receiver TracingChannel, as `phase receiver` lines, and the contexts. */
function recordCalls(): { lines: string[]; contexts: ReceiverTraceContext[]; stop(): void } {
  const lines: string[] = [];
  const contexts: ReceiverTraceContext[] = [];
  const on = (phase: Phase) => (message: unknown) => {
    const context = message as ReceiverTraceContext;
    if (phase === 'start') contexts.push(context);
    const detail =
      phase === 'end' ? ` async=${context.async}` : phase === 'error' ? ` ${(context.error as Error).message}` : '';
    lines.push(`${phase} ${context.receiver.name}${detail}`);
  };
  const handlers = {
    start: on('start'),
    end: on('end'),
    asyncStart: on('asyncStart'),
    asyncEnd: on('asyncEnd'),
    error: on('error'),
  };
  const channel = diagnosticsChannel.tracingChannel('rx-signals:receiver');
  channel.subscribe(handlers);
  const stop = () => channel.unsubscribe(handlers);
  cleanups.push(stop);
  return { lines, contexts, stop };
}

const fail = (message: string) =>
  function failing(): never {
    throw new Error(message);
  };

describe('the channel names', () => {
  it('are exported for tools that prefer constants', () => {
    expect([SEND_CHANNEL, RECEIVER_CHANNEL]).toEqual(['rx-signals:send', 'rx-signals:receiver']);
  });
});

describe('rx-signals:send', () => {
  it('publishes { signal, sender, event } for a send without receivers, with the event a receiver would get', () => {
    const sends = recordSends();
    const signal = new Signal<{ user: string }, string>('userLoggedIn');
    expect(signal.send('app', { user: 'ada' })).toEqual([]);
    expect(sends.messages).toEqual([{ signal, sender: 'app', event: { user: 'ada', signal, sender: 'app' } }]);
  });

  it('publishes every kind of send once, before Observable subscribers and receivers see the same event', async () => {
    const sends = recordSends();
    const seen: string[] = [];
    const onSend = (message: unknown) => seen.push(`channel ${(message as SendMessage<{ n: number }>).event.n}`);
    diagnosticsChannel.subscribe('rx-signals:send', onSend);
    cleanups.push(() => diagnosticsChannel.unsubscribe('rx-signals:send', onSend));
    const signal = new Signal<{ n: number }>('counted');
    const events: object[] = [];
    signal.subscribe((event) => seen.push(`observer ${event.n}`));
    signal.connect((event) => {
      events.push(event);
      seen.push(`receiver ${event.n}`);
    });
    signal.send('a', { n: 1 });
    signal.sendRobust('a', { n: 2 });
    await signal.asend('a', { n: 3 });
    await signal.asendRobust('a', { n: 4 });
    signal.notify('a', { n: 5 });
    expect(sends.messages.map((message) => message.event)).toEqual(events);
    expect(sends.messages.every((message, index) => message.event === events[index])).toBe(true);
    expect(seen.slice(0, 3)).toEqual(['channel 1', 'observer 1', 'receiver 1']);
    expect(seen).toHaveLength(15);
  });

  it('publishes a send whose receivers are all muted, and sends from every sender of sender-bound receivers', () => {
    const sends = recordSends();
    const signal = new Signal<object, string>('muted');
    signal.connect(() => 1, { sender: 'b' });
    const release = signal.muteReceivers();
    signal.send('a');
    release();
    signal.send('b');
    expect(sends.messages.map((message) => message.sender)).toEqual(['a', 'b']);
  });

  it('stops publishing once unsubscribed, and bad args still fail with a TypeError while subscribed', () => {
    const sends = recordSends();
    const signal = new Signal('plain');
    expect(() => signal.send('a', 5 as never)).toThrow(TypeError);
    signal.send('a');
    sends.stop();
    signal.send('a');
    expect(sends.messages).toHaveLength(1);
  });
});

describe('rx-signals:receiver', () => {
  it('traces a synchronous call: start, then end with the result; the context names signal, sender, receiver, event', () => {
    const calls = recordCalls();
    const signal = new Signal<{ n: number }, string>('sync');
    const double = ({ n }: { n: number }) => n * 2;
    signal.connect(double);
    const [[, response]] = signal.send('app', { n: 21 });
    expect(calls.lines).toEqual(['start double', 'end double async=false']);
    const [context] = calls.contexts;
    expect(context).toMatchObject({ signal, sender: 'app', receiver: double, event: { n: 21, signal, sender: 'app' } });
    expect(context.result).toBe(response);
    expect(response).toBe(42);
  });

  it('traces a throw with error (context.error) then end, and the send behaves as without tracing', () => {
    const calls = recordCalls();
    const signal = new Signal('throwing');
    const after = jest.fn();
    signal.connect(fail('boom'));
    signal.connect(after);
    expect(() => signal.send('app')).toThrow('boom');
    expect(after).not.toHaveBeenCalled();
    expect(calls.lines).toEqual(['start failing', 'error failing boom', 'end failing async=false']);
    const robust = signal.sendRobust('app');
    expect((robust[0][1] as Error).message).toBe('boom');
    expect(after).toHaveBeenCalledTimes(1);
    expect(log.reports.map((report) => (report.error as Error).message)).toEqual(['boom']);
  });

  it('traces a Promise response: end with async, then asyncStart and asyncEnd with the value once it settles', async () => {
    const calls = recordCalls();
    const signal = new Signal('async');
    const gate = deferred<string>();
    const later = () => gate.promise;
    signal.connect(later);
    const [[, response]] = signal.send('app');
    expect(response).toBe(gate.promise); // the response is the receiver's own Promise
    expect(calls.lines).toEqual(['start later', 'end later async=true']);
    gate.resolve('done');
    await gate.promise;
    await macrotasks(1);
    expect(calls.lines).toEqual(['start later', 'end later async=true', 'asyncStart later', 'asyncEnd later']);
    expect(calls.contexts[0].result).toBe('done');
  });

  it('traces a rejection: error, asyncStart, asyncEnd, and the rejection is still reported exactly once', async () => {
    const calls = recordCalls();
    const signal = new Signal('rejecting');
    const refuse = async () => {
      throw new Error('refused');
    };
    signal.connect(refuse);
    const results = await signal.asendRobust('app');
    await macrotasks(1);
    expect(calls.lines).toEqual([
      'start refuse',
      'end refuse async=true',
      'error refuse refused',
      'asyncStart refuse',
      'asyncEnd refuse',
    ]);
    expect((results[0][1] as Error).message).toBe('refused');
    expect(log.reports).toHaveLength(1);
  });

  it('treats a thenable whose then throws as rejected, as Promise.resolve(thenable) would', async () => {
    const calls = recordCalls();
    const signal = new Signal('hostile');
    const thenThrows = () => ({
      then() {
        throw new Error('then threw');
      },
    });
    signal.connect(thenThrows);
    signal.sendRobust('app');
    await macrotasks(1);
    expect(calls.lines).toEqual([
      'start thenThrows',
      'end thenThrows async=true',
      'error thenThrows then threw',
      'asyncStart thenThrows',
      'asyncEnd thenThrows',
    ]);
  });

  it('hears a thenable that calls back twice once', async () => {
    const calls = recordCalls();
    const signal = new Signal('twice');
    const chatty = () => ({
      then(resolve: (value: number) => void) {
        resolve(1);
        resolve(2);
      },
    });
    signal.connect(chatty);
    signal.sendRobust('app');
    await macrotasks(1);
    expect(calls.lines.filter((line) => line.startsWith('asyncEnd'))).toEqual(['asyncEnd chatty']);
    expect(calls.contexts[0].result).toBe(1);
  });

  it('calls receivers as plain functions, as without tracing', () => {
    const calls = recordCalls();
    const signal = new Signal('this');
    let seenThis: unknown = 'unset';
    signal.connect(function whoAmI(this: unknown) {
      seenThis = this;
    });
    signal.send('app');
    expect(seenThis).toBeUndefined();
    expect(calls.lines).toEqual(['start whoAmI', 'end whoAmI async=false']);
  });

  it('runs the receiver inside stores bound to the start channel, and its settling inside them too', async () => {
    const store = new AsyncLocalStorage<string>();
    const start = diagnosticsChannel.channel('tracing:rx-signals:receiver:start');
    start.bindStore(store, (context) => `span of ${(context as ReceiverTraceContext).receiver.name}`);
    const asyncEndStores: (string | undefined)[] = [];
    const onAsyncEnd = () => asyncEndStores.push(store.getStore());
    diagnosticsChannel.subscribe('tracing:rx-signals:receiver:asyncEnd', onAsyncEnd);
    cleanups.push(
      () => start.unbindStore(store),
      () => diagnosticsChannel.unsubscribe('tracing:rx-signals:receiver:asyncEnd', onAsyncEnd),
    );
    const signal = new Signal('stores');
    const inside: (string | undefined)[] = [];
    signal.connect(function first() {
      inside.push(store.getStore());
    });
    signal.connect(async function second() {
      await macrotasks(1);
      inside.push(store.getStore());
    });
    await signal.asend('app');
    await macrotasks(1);
    expect(inside).toEqual(['span of first', 'span of second']);
    expect(asyncEndStores).toEqual(['span of second']);
    expect(store.getStore()).toBeUndefined();
  });

  it('traces piped receivers, and receivers called later by delay and by a resumed pause', async () => {
    const calls = recordCalls();
    const signal = new Signal<{ n: number }>('piped');
    const paused$ = new BehaviorSubject(true);
    signal.connect(function filtered() {}, { pipe: [filter(({ n }) => n > 1), map((event) => event)] });
    signal.connect(function delayed() {}, { pipe: delay(1) });
    signal.connect(function resumed() {}, { pipe: pausable(paused$, { buffer: 1 }) });
    signal.send('app', { n: 1 });
    signal.send('app', { n: 2 });
    expect(calls.lines).toEqual(['start filtered', 'end filtered async=false']);
    paused$.next(false);
    await macrotasks(2);
    expect(calls.lines.filter((line) => line.startsWith('start')).sort()).toEqual([
      'start delayed',
      'start delayed',
      'start filtered',
      'start resumed',
    ]);
  });

  it('does not trace muted receivers, and stops tracing once unsubscribed', () => {
    const calls = recordCalls();
    const signal = new Signal('quiet');
    const receiver = jest.fn();
    signal.connect(receiver);
    const release = signal.muteReceivers();
    signal.send('app');
    release();
    expect(calls.lines).toEqual([]);
    calls.stop();
    signal.send('app');
    expect(receiver).toHaveBeenCalledTimes(1);
    expect(calls.lines).toEqual([]);
  });
});
