import diagnostics from 'node:diagnostics_channel';
import { functionName } from '../core/checks';
import { RECEIVER_CHANNEL, SEND_CHANNEL, type ReceiverTraceContext, type SendMessage } from '../core/tracing';
import { requestFinished, requestStarted, templateRendered } from '../fastify/signals';
import { summarizeRequest } from '../operators/summarize-requests';
import type { RequestNumbers } from './lane-event';
import {
  MAX_TIMELINE_ENTRIES,
  type Outcome,
  type TimelineCall,
  type TimelineEvent,
  type TimelineView,
} from './protocol';
import { safely } from './safely';

/** A timeline being filled: its events and calls are mutated as they happen. */
interface Recording {
  readonly view: {
    -readonly [K in keyof TimelineView]: K extends 'events'
      ? MutableEvent[]
      : K extends 'templates'
        ? string[]
        : TimelineView[K];
  };
  readonly startedAt: number;
  entries: number;
}
type MutableEvent = Omit<TimelineEvent, 'calls' | 'template'> & { template?: string; calls: MutableCall[] };
type MutableCall = { -readonly [K in keyof TimelineCall]: TimelineCall[K] } & { readonly startedAt: number };

/** Requests in flight that get a timeline at most: a flood of slow requests cannot grow it further. */
const MAX_IN_FLIGHT = 1000;

/**
 * Every request's own timeline, for the latest `keep` finished requests (and those in flight):
 * its events in order, the receivers that ran for each with their times, its templates. Fed by
 * the `rx-signals:send` channel and the `rx-signals:receiver` TracingChannel, which it
 * subscribes to only between `start()` and `stop()` (while a page is open).
 *
 * @example
 * const timelines = new Timelines({ keep: 50, numbers, isOurs, own });
 * timelines.start();
 * timelines.get(7); // TimelineView of request #7, or undefined
 * @internal
 */
export class Timelines {
  private readonly inFlight = new Map<number, Recording>();
  private readonly finished = new Map<number, Recording>();
  private readonly eventEntries = new WeakMap<object, { recording: Recording; event: MutableEvent }>();
  private readonly calls = new WeakMap<object, { recording: Recording; call: MutableCall }>();
  private listening = false;

  private readonly onSend = (message: unknown) => this.guard(() => this.recordEvent(message as SendMessage));
  private readonly receiverHandlers = {
    start: (context: unknown) => this.guard(() => this.callStarted(context as ReceiverTraceContext)),
    // A Promise response (`async` at `end`) is timed until `asyncEnd`, when it settled.
    end: (context: unknown) =>
      this.guard(() => (context as ReceiverTraceContext).async || this.callEnded(context as object)),
    asyncStart: () => undefined,
    asyncEnd: (context: unknown) => this.guard(() => this.callEnded(context as object)),
    error: (context: unknown) => this.guard(() => this.callFailed(context as object)),
  };

  constructor(
    private readonly options: {
      /** How many finished requests keep their timeline. */
      readonly keep: number;
      readonly numbers: RequestNumbers;
      /** True for a request of this app that is not the panel's own. */
      readonly isOurs: (sender: unknown, request: object) => boolean;
      /** The panel's own receivers: not part of any timeline. */
      readonly own: ReadonlySet<Function>;
      readonly now: () => number;
    },
  ) {}

  start(): void {
    if (this.listening) return;
    this.listening = true;
    diagnostics.subscribe(SEND_CHANNEL, this.onSend);
    diagnostics.tracingChannel(RECEIVER_CHANNEL).subscribe(this.receiverHandlers);
  }

  stop(): void {
    if (!this.listening) return;
    this.listening = false;
    diagnostics.unsubscribe(SEND_CHANNEL, this.onSend);
    diagnostics.tracingChannel(RECEIVER_CHANNEL).unsubscribe(this.receiverHandlers);
    this.inFlight.clear();
    this.finished.clear();
  }

  /** The timeline of request `number`, if it is among the latest kept (or in flight). */
  get(number: number): TimelineView | undefined {
    const view = (this.finished.get(number) ?? this.inFlight.get(number))?.view;
    if (view === undefined) return undefined;
    const events = view.events.map(({ calls, ...event }) => ({
      ...event,
      calls: calls.map(({ receiver, ms, failed }) => ({ receiver, ms, failed })),
    }));
    return { ...view, events, templates: [...view.templates] };
  }

  private recordEvent(message: SendMessage): void {
    const { sender, event } = message;
    const signal: object = message.signal;
    const request = (event as { request?: unknown }).request;
    if (typeof request !== 'object' || request === null) return;
    const now = this.options.now();
    if (signal === requestStarted) {
      if (!this.options.isOurs(sender, request) || this.inFlight.size >= MAX_IN_FLIGHT) return;
      const { method, routeOptions } = request as { method: string; routeOptions: { url?: string } };
      const number = this.options.numbers.of(request);
      this.inFlight.set(number, {
        view: {
          request: number,
          method: String(method),
          route: routeOptions.url ?? '(unmatched)',
          statusCode: null,
          outcome: null,
          elapsedMs: null,
          events: [],
          templates: [],
          truncated: false,
        },
        startedAt: now,
        entries: 0,
      });
    }
    const number = this.options.numbers.of(request);
    const recording = this.inFlight.get(number);
    if (recording === undefined) return; // started before the page opened, or not this app's
    const entry: MutableEvent = { signal: message.signal.name, atMs: now - recording.startedAt, calls: [] };
    if (signal === templateRendered) {
      const template = String((event as { template?: unknown }).template).slice(0, 100);
      entry.template = template;
      recording.view.templates.push(template);
    }
    if (this.add(recording)) {
      recording.view.events.push(entry);
      this.eventEntries.set(event, { recording, event: entry });
    }
    if (signal === requestFinished) this.finish(number, recording, event);
  }

  private finish(number: number, recording: Recording, event: object): void {
    const summary = summarizeRequest(event as Parameters<typeof summarizeRequest>[0]);
    recording.view.statusCode = summary.statusCode;
    recording.view.outcome = summary.outcome as Outcome;
    recording.view.elapsedMs = summary.elapsedMs;
    this.inFlight.delete(number);
    this.finished.set(number, recording);
    if (this.finished.size > this.options.keep) this.finished.delete(this.finished.keys().next().value!);
  }

  private callStarted(context: ReceiverTraceContext): void {
    const entry = this.eventEntries.get(context.event);
    if (entry === undefined || this.options.own.has(context.receiver) || !this.add(entry.recording)) return;
    const call: MutableCall = {
      receiver: functionName(context.receiver),
      ms: null,
      failed: false,
      startedAt: this.options.now(),
    };
    entry.event.calls.push(call);
    this.calls.set(context, { recording: entry.recording, call });
  }

  /** `end`, or `asyncEnd` for a Promise response. */
  private callEnded(context: object): void {
    const found = this.calls.get(context);
    if (found !== undefined) found.call.ms = this.options.now() - found.call.startedAt;
  }

  private callFailed(context: object): void {
    const found = this.calls.get(context);
    if (found !== undefined) found.call.failed = true;
  }

  /** Counts one more entry of `recording`; false once it holds its maximum. */
  private add(recording: Recording): boolean {
    if (recording.entries >= MAX_TIMELINE_ENTRIES) {
      recording.view.truncated = true;
      return false;
    }
    recording.entries++;
    return true;
  }

  private guard(record: () => void): void {
    // A channel subscriber that throws is an uncaught exception for Node: never throw from here.
    safely(record, undefined);
  }
}
