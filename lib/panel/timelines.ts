import { functionName } from '../core/checks';
import { addSendWatcher, removeSendWatcher, type SendWatcher, type WatchedCall } from '../core/observers';
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
/** A receiver call, timed by the core; its receiver is named only when a page asks for the timeline. */
interface MutableCall extends WatchedCall {
  readonly receiver: Function;
}

/** Requests in flight that get a timeline at most. */
const MAX_IN_FLIGHT = 1000;
/**
 * How many of the latest recorded sends a receiver call is matched against. A receiver runs
 * during its event's send, so the event is among the latest unless receivers were held back for
 * longer (a `pausable` buffer, a `delay`): those calls are left out of the timeline.
 */
const RECENT_SENDS = 16;
/**
 * New timelines begun per second at most. Under heavy traffic only some requests get one (the
 * page draws only some of them too), which bounds what an open page keeps and copies.
 */
export const MAX_TIMELINES_PER_SECOND = 200;

/**
 * Every request's own timeline, for the latest `keep` finished requests (and those in flight):
 * its events in order, the receivers that ran for each with their times, its templates. A
 * {@link SendWatcher} of the core between `start()` and `stop()` (while a page is open): it sees
 * every send, keeps those of the requests it records, and the core times the receiver calls it
 * claims.
 *
 * @example
 * const timelines = new Timelines({ keep: 50, perSecond: 200, marks, isOurs, own });
 * timelines.start();
 * timelines.get(7); // TimelineView of request #7, or undefined
 * @internal
 */
export class Timelines implements SendWatcher {
  private readonly inFlight = new Map<number, Recording>();
  private readonly finished = new Map<number, Recording>();
  // No WeakMap or Map entry per event or call: a ring of the latest recorded sends (WeakMap
  // entries made per call cost far more garbage-collection time than the rest of the panel).
  private readonly sentEvents: (object | undefined)[] = new Array<object | undefined>(RECENT_SENDS);
  private readonly sentEntries: (MutableEvent | undefined)[] = new Array<MutableEvent | undefined>(RECENT_SENDS);
  private readonly sentRecordings: (Recording | undefined)[] = new Array<Recording | undefined>(RECENT_SENDS);
  private nextSent = 0;
  /** The latest send and its slot in the ring (-1: not recorded): its receivers find it at once. */
  private lastEvent: object | null = null;
  private lastSlot = -1;
  /** Timelines begun since the budget was last refilled (every second, by `refill`). */
  private begun = 0;
  private refill: NodeJS.Timeout | null = null;
  private listening = false;

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
    },
  ) {}

  start(): void {
    if (this.listening) return;
    this.listening = true;
    this.begun = 0;
    // A timer, not a clock read per request: most requests under load find the budget spent.
    this.refill = setInterval(() => (this.begun = 0), 1000).unref();
    addSendWatcher(this);
  }

  stop(): void {
    if (!this.listening) return;
    this.listening = false;
    removeSendWatcher(this);
    clearInterval(this.refill!);
    this.refill = null;
    this.inFlight.clear();
    this.finished.clear();
    this.sentEvents.fill(undefined);
    this.sentEntries.fill(undefined);
    this.sentRecordings.fill(undefined);
    this.lastEvent = null;
    this.lastSlot = -1;
  }

  // Called by the core on every send and receiver call: neither may throw.
  sent(signal: object, sender: unknown, event: object): void {
    this.lastEvent = event;
    this.lastSlot = -1;
    try {
      this.recordEvent(signal as { readonly name: string }, sender, event);
    } catch {
      // a request that cannot be read gets no timeline
    }
  }

  calling(receiver: Function, event: object): WatchedCall | null {
    const slot = event === this.lastEvent ? this.lastSlot : this.sentSlot(event);
    if (slot < 0 || this.options.own.has(receiver)) return null;
    const recording = this.sentRecordings[slot]!;
    if (!this.add(recording)) return null;
    const call: MutableCall = { receiver, ms: null, failed: false };
    this.sentEntries[slot]!.calls.push(call);
    return call;
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

  private recordEvent(signal: { readonly name: string }, sender: unknown, event: object): void {
    const request = (event as { request?: unknown }).request;
    if (typeof request !== 'object' || request === null) return;
    let now = 0; // the clock is read only for the events recorded
    if (signal === requestStarted) {
      if (this.begun >= this.options.perSecond || this.inFlight.size >= MAX_IN_FLIGHT) return;
      if (!this.options.isOurs(sender, request)) return;
      this.begun++;
      const number = this.options.marks.number(request);
      now = performance.now();
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
    } else if (this.inFlight.size === 0) {
      return; // no recorded request in flight, so nothing to add to: most events under load (200 new timelines a second at most)
    }
    const number = this.options.marks.number(request);
    const recording = this.inFlight.get(number);
    if (recording === undefined) return; // started before the page opened, or not this app's
    if (now === 0) now = performance.now();
    const entry: MutableEvent = { signal: signal.name, atMs: now - recording.startedAt, calls: [] };
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
      this.lastSlot = this.nextSent;
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
