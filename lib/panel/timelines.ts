// A little over 300 lines: recording timelines, matching receiver calls to them and the per-second
// tracing budget share one state (the in-flight recordings); split, they would share it through
// accessors that say less than the fields.
import diagnostics from 'node:diagnostics_channel';
import { functionName } from '../core/checks';
import { RECEIVER_CHANNEL, SEND_CHANNEL, type ReceiverTraceContext, type SendMessage } from '../core/tracing';
import type { FastifyRequest } from 'fastify';
import { requestFinished, requestStarted, templateRendered, type RequestFinishedEvent } from '../fastify/signals';
import { summarizeFinished, type RequestMarks } from './lane-event';
import {
  MAX_TIMELINE_ENTRIES,
  type Outcome,
  type TimelineCall,
  type TimelineEvent,
  type TimelineView,
} from './protocol';

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
/** A receiver call being timed; its receiver is named only when a page asks for the timeline. */
interface MutableCall {
  readonly receiver: Function;
  readonly startedAt: number;
  ms: number | null;
  failed: boolean;
}

/** Requests in flight that get a timeline at most, and receiver Promises awaited at most. */
const MAX_IN_FLIGHT = 1000;
/**
 * How many of the latest sends a receiver call is matched against. A receiver runs during its
 * event's send, so the event is among the latest unless receivers were held back for longer
 * (a `pausable` buffer, a `delay`): those calls are left out of the timeline.
 */
const RECENT_SENDS = 16;
/**
 * New timelines begun per second at most. Under heavy traffic only some requests get one (the
 * page draws only some of them too), which keeps an open page's cost per request small.
 */
export const MAX_TIMELINES_PER_SECOND = 200;

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
  // No WeakMap or Map entry per event or call: a ring of the latest sends, a stack of the calls
  // running, and a Map for Promise responses only (WeakMap entries made per call cost far more
  // garbage-collection time than the rest of the panel).
  private readonly sentEvents: (object | undefined)[] = new Array<object | undefined>(RECENT_SENDS);
  private readonly sentEntries: (MutableEvent | undefined)[] = new Array<MutableEvent | undefined>(RECENT_SENDS);
  private readonly sentRecordings: (Recording | undefined)[] = new Array<Recording | undefined>(RECENT_SENDS);
  private nextSent = 0;
  private readonly runningContexts: object[] = [];
  private readonly runningCalls: MutableCall[] = [];
  private budgetSecond = 0;
  private budget = 0;
  /** Subscribed to the channels: while listening, except after this second's budget is spent. */
  private subscribed = false;
  private overBudget = false;
  private resume: NodeJS.Timeout | null = null;
  private readonly awaited = new Map<object, MutableCall>();
  private listening = false;

  // A channel subscriber that throws is an uncaught exception for Node: none of these may throw.
  private readonly onSend = (message: unknown) => {
    try {
      this.recordEvent(message as SendMessage);
    } catch {
      // a request that cannot be read gets no timeline
    }
  };
  private readonly receiverHandlers = {
    start: (context: unknown) => {
      try {
        this.callStarted(context as ReceiverTraceContext);
      } catch {
        // a receiver that cannot be read is left out of the timeline
      }
    },
    end: (context: unknown) => this.callEnded(context as ReceiverTraceContext),
    asyncStart: () => undefined,
    asyncEnd: (context: unknown) => {
      const call = this.awaited.get(context as object);
      if (call === undefined) return;
      this.awaited.delete(context as object);
      call.ms = this.options.now() - call.startedAt;
      this.pauseIfSpent();
    },
    error: (context: unknown) => {
      const top = this.runningContexts.length - 1;
      const call = this.runningContexts[top] === context ? this.runningCalls[top] : this.awaited.get(context as object);
      if (call !== undefined) call.failed = true;
    },
  };

  constructor(
    private readonly options: {
      /** How many finished requests keep their timeline. */
      readonly keep: number;
      /** New timelines per second at most ({@link MAX_TIMELINES_PER_SECOND} in the panel). */
      readonly perSecond: number;
      readonly marks: RequestMarks;
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
    this.subscribe();
  }

  stop(): void {
    if (!this.listening) return;
    this.listening = false;
    this.unsubscribe();
    if (this.resume !== null) clearTimeout(this.resume);
    this.resume = null;
    this.overBudget = false;
    this.inFlight.clear();
    this.finished.clear();
    this.sentEvents.fill(undefined);
    this.sentEntries.fill(undefined);
    this.sentRecordings.fill(undefined);
    this.runningContexts.length = this.runningCalls.length = 0;
    this.awaited.clear();
  }

  private subscribe(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    diagnostics.subscribe(SEND_CHANNEL, this.onSend);
    diagnostics.tracingChannel(RECEIVER_CHANNEL).subscribe(this.receiverHandlers);
  }

  private unsubscribe(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    diagnostics.unsubscribe(SEND_CHANNEL, this.onSend);
    diagnostics.tracingChannel(RECEIVER_CHANNEL).unsubscribe(this.receiverHandlers);
  }

  /**
   * Once this second's budget is spent and every recorded request finished (its receivers'
   * Promises settled too), the channels are left until the next second: a busy app then pays for
   * tracing during a few milliseconds a second, not for every receiver call.
   */
  private pauseIfSpent(): void {
    if (!this.overBudget || this.inFlight.size > 0 || this.awaited.size > 0 || this.resume !== null) return;
    // Not from inside a channel's publish: from the next turn of the event loop.
    this.resume = setTimeout(() => {
      this.resume = null;
      if (!this.listening) return;
      this.unsubscribe();
      this.resume = setTimeout(
        () => {
          this.resume = null;
          this.overBudget = false;
          if (this.listening) this.subscribe();
        },
        1000 - (Date.now() % 1000),
      ).unref();
    }, 0).unref();
  }

  /** The timeline of request `number`, if it is among the latest kept (or in flight). */
  get(number: number): TimelineView | undefined {
    const view = (this.finished.get(number) ?? this.inFlight.get(number))?.view;
    if (view === undefined) return undefined;
    const events = view.events.map(({ calls, ...event }) => ({
      ...event,
      calls: calls.map(({ receiver, ms, failed }): TimelineCall => ({ receiver: functionName(receiver), ms, failed })),
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
      if (!this.options.isOurs(sender, request) || this.inFlight.size >= MAX_IN_FLIGHT || !this.withinBudget()) return;
      const number = this.options.marks.number(request);
      this.inFlight.set(number, {
        view: {
          request: number,
          method: String((request as FastifyRequest).method),
          route: this.options.marks.route(request as FastifyRequest),
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
    const number = this.options.marks.number(request);
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
      this.sentEvents[this.nextSent] = event;
      this.sentEntries[this.nextSent] = entry;
      this.sentRecordings[this.nextSent] = recording;
      this.nextSent = (this.nextSent + 1) % RECENT_SENDS;
    }
    if (signal === requestFinished) this.finish(number, recording, event);
  }

  private finish(number: number, recording: Recording, event: object): void {
    const summary = summarizeFinished(event as RequestFinishedEvent, recording.view.route);
    recording.view.statusCode = summary.statusCode;
    recording.view.outcome = summary.outcome as Outcome;
    recording.view.elapsedMs = summary.elapsedMs;
    this.inFlight.delete(number);
    this.finished.set(number, recording);
    if (this.finished.size > this.options.keep) this.finished.delete(this.finished.keys().next().value!);
    this.pauseIfSpent();
  }

  private callStarted(context: ReceiverTraceContext): void {
    const slot = this.sentSlot(context.event);
    if (slot < 0 || this.options.own.has(context.receiver)) return;
    const recording = this.sentRecordings[slot]!;
    if (!this.add(recording)) return;
    const call: MutableCall = { receiver: context.receiver, startedAt: this.options.now(), ms: null, failed: false };
    this.sentEntries[slot]!.calls.push(call);
    this.runningContexts.push(context);
    this.runningCalls.push(call);
  }

  /** A call returned (or threw): timed now, or once its Promise settles (`async`). */
  private callEnded(context: ReceiverTraceContext): void {
    const top = this.runningContexts.length - 1;
    if (top < 0 || this.runningContexts[top] !== context) return; // not one of ours
    const call = this.runningCalls[top];
    this.runningContexts.pop();
    this.runningCalls.pop();
    if (context.async !== true) call.ms = this.options.now() - call.startedAt;
    else if (this.awaited.size < MAX_IN_FLIGHT) this.awaited.set(context, call);
  }

  /** Where `event` is among the latest sends (newest first), or -1. */
  private sentSlot(event: object): number {
    for (let back = 1; back <= RECENT_SENDS; back++) {
      const slot = (this.nextSent - back + RECENT_SENDS) % RECENT_SENDS;
      const sent = this.sentEvents[slot];
      if (sent === undefined) return -1;
      if (sent === event) return slot;
    }
    return -1;
  }

  /** True while fewer than `perSecond` timelines began this second. */
  private withinBudget(): boolean {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.budgetSecond) {
      this.budgetSecond = second;
      this.budget = 0;
    }
    if (this.budget < this.options.perSecond) {
      this.budget++;
      return true;
    }
    this.overBudget = true;
    this.pauseIfSpent();
    return false;
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
}
