import { EventEmitter as NodeEventEmitter } from 'node:events';
import diagnosticsChannel from 'node:diagnostics_channel';
import EventEmitter3 from 'eventemitter3';
import mitt from 'mitt';
import { do_not_optimize } from 'mitata';
import { Subject, filter } from 'rxjs';
import { Signal } from '../../lib';
import { PEERS, type Peer } from './figures';
import { makeListener, makePayload, type RequestPayload } from './payload';

/**
 * One micro benchmark: an operation and what it must do each time.
 *
 * @example
 * const microCase: MicroCase = peerCases(1)[0]; // rx-signals send, 1 receiver
 * await verifyCalls(microCase);
 */
export interface MicroCase {
  /** Stable key for the JSON results, e.g. `peer/Subject.next/10`. */
  readonly id: string;
  /** What the printed table calls it. */
  readonly label: string;
  readonly receivers: number;
  /** How many listener calls one operation makes: checked before timing, so a broken case fails loudly. */
  readonly expectedCalls: number;
  /** One operation. An asynchronous one returns a Promise that the harness awaits. */
  readonly op: () => unknown;
  /** False for asynchronous operations, whose allocation cannot be taken send by send. */
  readonly measureAllocation: boolean;
  /**
   * Switches on what the case observes with (a profiler, a channel subscriber) and returns how
   * to switch it off: on only while this case runs, so that it slows no other case.
   */
  readonly observe?: () => () => void;
}

/** The sender of every signal send: an app-shaped object, as with the Fastify plugin. */
const app = { name: 'bench-app' };

/**
 * The same `{ request, reply }` send through every library with `receivers` identical listeners.
 *
 * @example
 * peerCases(10).map((microCase) => microCase.label); // ['rx-signals send', 'Subject.next', ...]
 */
export function peerCases(receivers: number): MicroCase[] {
  const payload = makePayload();
  const listeners = () => Array.from({ length: receivers }, () => makeListener());
  // Each builder sets its library up and returns the operation to time.
  const cases: Record<Peer, () => () => unknown> = {
    'rx-signals send': () => {
      const signal = new Signal<RequestPayload, object>(`bench${receivers}`);
      for (const listener of listeners()) signal.connect(listener);
      return () => do_not_optimize(signal.send(app, payload));
    },
    'Subject.next': () => {
      const subject = new Subject<RequestPayload>();
      for (const listener of listeners()) subject.subscribe(listener);
      return () => do_not_optimize(subject.next(payload));
    },
    EventEmitter: () => {
      const emitter = new NodeEventEmitter();
      emitter.setMaxListeners(0);
      for (const listener of listeners()) emitter.on('requestStarted', listener);
      return () => do_not_optimize(emitter.emit('requestStarted', payload));
    },
    eventemitter3: () => {
      const emitter = new EventEmitter3();
      for (const listener of listeners()) emitter.on('requestStarted', listener);
      return () => do_not_optimize(emitter.emit('requestStarted', payload));
    },
    mitt: () => {
      const emitter = mitt<{ requestStarted: RequestPayload }>();
      for (const listener of listeners()) emitter.on('requestStarted', listener);
      return () => do_not_optimize(emitter.emit('requestStarted', payload));
    },
    diagnostics_channel: () => {
      const channel = diagnosticsChannel.channel(`rx-signals.bench.${receivers}`);
      // Subscribed as is (no wrapper), so that its listeners do exactly what the others' do.
      for (const listener of listeners()) channel.subscribe(listener as diagnosticsChannel.ChannelListener);
      return () => do_not_optimize(channel.publish(payload));
    },
  };
  return PEERS.map((peer) => ({
    id: `peer/${peer}/${receivers}`,
    label: peer,
    receivers,
    expectedCalls: receivers,
    op: cases[peer](),
    measureAllocation: true,
  }));
}

/**
 * The sender index: `senders` receivers, each bound to its own sender, and a send from one of
 * them (one receiver runs). Beside it, what a raw Subject needs for the same routing: one
 * `filter` per receiver, so every send visits them all.
 *
 * @example
 * senderIndexCases(1000)[0].expectedCalls; // 1
 */
export function senderIndexCases(senders: number): MicroCase[] {
  const payload = makePayload();
  const appOf = Array.from({ length: senders }, (_, index) => ({ name: `app-${index}` }));
  const target = appOf[senders >> 1];

  const signal = new Signal<RequestPayload, object>(`benchBound${senders}`);
  for (const sender of appOf) signal.connect(makeListener(), { sender });

  const subject = new Subject<RequestPayload & { sender: object }>();
  for (const sender of appOf) {
    subject.pipe(filter((event) => event.sender === sender)).subscribe(makeListener());
  }
  const event = { ...payload, sender: target };

  return [
    {
      id: `bound/rx-signals send/${senders}`,
      label: `rx-signals send, ${senders.toLocaleString('en-US')} sender-bound receivers, from one sender`,
      receivers: senders,
      expectedCalls: 1,
      op: () => do_not_optimize(signal.send(target, payload)),
      measureAllocation: true,
    },
    {
      id: `bound/Subject.next+filter/${senders}`,
      label: `Subject.next, ${senders.toLocaleString('en-US')} subscribers each behind filter(sender), from one sender`,
      receivers: senders,
      expectedCalls: 1,
      op: () => do_not_optimize(subject.next(event)),
      measureAllocation: true,
    },
  ];
}

/**
 * The other ways to send: `sendRobust` and `asend` (synchronous receivers: the figure is the
 * cost of the machinery, including the awaited Promise for `asend`).
 *
 * @example
 * sendVariantCases([1, 10]).length; // 4
 */
export function sendVariantCases(receiverCounts: readonly number[]): MicroCase[] {
  const payload = makePayload();
  return receiverCounts.flatMap((receivers): MicroCase[] => {
    const signal = new Signal<RequestPayload, object>(`benchVariants${receivers}`);
    for (let index = 0; index < receivers; index++) signal.connect(makeListener());
    return [
      {
        id: `variant/sendRobust/${receivers}`,
        label: `rx-signals sendRobust, ${receivers} receiver${receivers === 1 ? '' : 's'}`,
        receivers,
        expectedCalls: receivers,
        op: () => do_not_optimize(signal.sendRobust(app, payload)),
        measureAllocation: true,
      },
      {
        id: `variant/asend/${receivers}`,
        label: `rx-signals asend (awaited), ${receivers} receiver${receivers === 1 ? '' : 's'}`,
        receivers,
        expectedCalls: receivers,
        op: () => signal.asend(app, payload),
        measureAllocation: false,
      },
    ];
  });
}

/**
 * An empty operation: what the harness itself costs per operation (a closure call and
 * `do_not_optimize`), printed so that the smallest figures can be read against it.
 *
 * @example
 * harnessCase().expectedCalls; // 0
 */
export function harnessCase(): MicroCase {
  const payload = makePayload();
  return {
    id: 'harness/empty',
    label: 'harness: empty operation',
    receivers: 0,
    expectedCalls: 0,
    op: () => do_not_optimize(payload),
    measureAllocation: true,
  };
}
