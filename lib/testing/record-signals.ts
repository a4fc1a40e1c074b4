import type { Observable, Subscription } from 'rxjs';

import { describeValue, rejectUnknownKeys, requireOptionsObject, requireSignals } from '../core/checks';
import { assignLetters, checkLetter } from './marble-alphabet';

/**
 * What {@link recordSignals} needs of a signal: any `Signal` fits.
 *
 * @example
 * const recorded: RecordableSignal[] = [requestStarted, requestFinished];
 */
export interface RecordableSignal<E extends object = object> {
  readonly name: string;
  /** Its events, from every sender. */
  asObservable(): Observable<E>;
}

/**
 * The event type of a signal, or the union of those of a list of signals.
 *
 * @example
 * type Finished = RecordedEvent<typeof requestFinished>; // SignalEvent<RequestFinishedArgs, FastifyInstance>
 */
export type RecordedEvent<S> = S extends readonly (infer Item)[]
  ? RecordedEvent<Item>
  : S extends RecordableSignal<infer E>
    ? E
    : never;

/**
 * Options of {@link recordSignals}.
 *
 * @example
 * recordSignals([requestStarted, userLoggedIn], { sender: app, letters: { userLoggedIn: 'L' } });
 */
export interface RecordOptions {
  /** Record only events of this sender (identity), e.g. one Fastify app. */
  sender?: unknown;
  /**
   * Marble letters by signal name, over the defaults (`s` requestStarted, `x`
   * gotRequestException, `f` requestFinished, `t` templateRendered, `c` settingChanged, else the
   * first free character of the signal's name).
   */
  letters?: Readonly<Record<string, string>>;
}

/**
 * Options of {@link SignalRecording.toMarbles}.
 *
 * @example
 * recording.toMarbles({ lanes: (event) => event.request.url });
 */
export interface MarbleOptions<E> {
  /**
   * Draws one line per lane instead of one string: the lane of each event (e.g. {@link byRequest}).
   * Lines are `name  marbles`, lanes in order of first appearance, aligned on shared frames, with
   * `-` where a lane has nothing. Events whose lane is undefined, and marks without one, go to
   * lane `*`.
   */
  lanes?: (event: E) => string | undefined;
  /**
   * `false` (default): one frame per entry, `sxf`: the order. `true`: entries of one tick share a
   * frame, `(sx)f`. Assert ticks only where your own code makes them (receivers run inside the
   * send that reaches them, so a receiver's mark shares its event's tick): how Fastify spreads a
   * request over ticks is its business (sync or async handler, other plugins' hooks, its
   * version, this plugin's internals) and changes under you.
   */
  ticks?: boolean;
}

/** One recorded entry: a signal's event or a mark, with its letter and frame. */
interface Entry<E> {
  readonly letter: string;
  /** The tick it was recorded in (1, 2, ...: only ticks with entries count). */
  readonly frame: number;
  readonly event?: E;
  readonly lane?: string;
}

/**
 * A recording started by {@link recordSignals}.
 *
 * @example
 * const recording = recordSignals([requestStarted, requestFinished], { sender: app });
 * await app.inject('/');
 * recording.stop();
 * recording.toMarbles(); // 'sf'
 */
export interface SignalRecording<E> {
  /** The recorded events, in the order they were sent (live until `stop()`). */
  readonly events: readonly E[];
  /** Adds a letter of your own to the timeline, e.g. from a receiver to show that it ran. */
  mark(letter: string, lane?: string): void;
  /** Stops recording (idempotent) and returns the events. */
  stop(): E[];
  /**
   * The timeline as a marble string. Each event is its signal's letter, each mark its own
   * letter. Time is logical: by default one frame per entry, so the string is the order, `sxf`.
   *
   * With `{ ticks: true }`, one frame per tick, where a tick is one synchronous stretch of code
   * (entries with no `await`, Promise callback, timer or I/O between them): entries of one tick
   * are grouped in parentheses, ticks in which nothing was recorded are not drawn. So `(fR)f`
   * reads: finished and marked in one tick, finished again in a later one. Precisely, a tick
   * ends when the Promise callbacks already queued at its first entry have run, so entries of
   * callbacks queued just before it may share its frame.
   *
   * The strings are deterministic for a deterministic flow (such as `inject()` with gated
   * handlers); real sockets and timers race, so don't assert their interleaving.
   */
  toMarbles(options?: MarbleOptions<E>): string;
}

/**
 * Records every event of the given signals, in order, from the moment of the call until
 * `stop()`. It listens as an Observable subscriber, not as a receiver: it takes no place in
 * connection order and keeps recording while receivers are muted or paused.
 *
 * @example
 * const recording = recordSignals([requestStarted, gotRequestException, requestFinished], { sender: app });
 * await app.inject('/boom');
 * expect(recording.toMarbles()).toBe('sxf');
 * expect(recording.stop().map((event) => event.signal.name)).toEqual(['requestStarted', 'gotRequestException', 'requestFinished']);
 */
export function recordSignals<const S extends RecordableSignal | readonly RecordableSignal[]>(
  signals: S,
  options?: RecordOptions,
): SignalRecording<RecordedEvent<S>> {
  // A signal listed twice is recorded once: each event is one entry.
  const list = [...new Set(requireSignals<RecordableSignal>('recordSignals(signals)', 'signals', signals))];
  requireOptionsObject('recordSignals()', options);
  if (options) rejectUnknownKeys('recordSignals()', options, ['sender', 'letters']);
  const letters = options?.letters ?? {};
  if (typeof letters !== 'object' || letters === null) {
    throw new TypeError(
      `recordSignals(): options.letters must map signal names to letters, got ${describeValue(letters)}.`,
    );
  }
  for (const [name, letter] of Object.entries(letters)) {
    if (!list.some((signal) => signal.name === name)) {
      throw new TypeError(
        `recordSignals(): options.letters names "${name}", which is not one of the recorded signals ` +
          `(${list.map((signal) => signal.name).join(', ')}).`,
      );
    }
    checkLetter(`recordSignals(): options.letters.${name}`, letter);
  }
  const filterBySender = options !== undefined && 'sender' in options;
  return new Recording<RecordedEvent<S>>(
    list as RecordableSignal<RecordedEvent<S> & object>[],
    assignLetters(list, letters),
    filterBySender,
    options?.sender,
  );
}

/**
 * Lane key of a request event: the request's id (`req-1`, `req-2`, ... in Fastify), undefined
 * for events without a request. For `toMarbles({ lanes: byRequest })`.
 *
 * @example
 * recording.toMarbles({ lanes: byRequest });
 * // req-1  s--f
 * // req-2  -sf-
 */
export function byRequest(event: object): string | undefined {
  if (typeof event !== 'object' || event === null) {
    throw new TypeError(
      `byRequest(event): event must be a signal event, got ${describeValue(event)}. ` +
        'Pass it as a lane function: recording.toMarbles({ lanes: byRequest }).',
    );
  }
  const request = (event as { request?: { id?: unknown } }).request;
  return request?.id === undefined ? undefined : String(request.id);
}

const UNLANED = '*';

class Recording<E> implements SignalRecording<E> {
  readonly events: E[] = [];
  private readonly entries: Entry<E>[] = [];
  private readonly subscriptions: Subscription[] = [];
  private frame = 0;
  /** True from the first entry of a tick until the tick ends. */
  private tickOpen = false;
  private stopped = false;

  constructor(
    signals: readonly RecordableSignal<E & object>[],
    letters: ReadonlyMap<object, string>,
    filterBySender: boolean,
    sender: unknown,
  ) {
    for (const signal of signals) {
      const letter = letters.get(signal)!;
      this.subscriptions.push(
        signal.asObservable().subscribe((event) => {
          if (filterBySender && (event as { sender?: unknown }).sender !== sender) return;
          this.events.push(event);
          this.add({ letter, frame: this.currentFrame(), event });
        }),
      );
    }
  }

  mark(letter: string, lane?: string): void {
    checkLetter('recording.mark(letter)', letter);
    if (lane !== undefined && typeof lane !== 'string') {
      throw new TypeError(`recording.mark(letter, lane): lane must be a string, got ${describeValue(lane)}.`);
    }
    if (this.stopped) throw new TypeError('recording.mark(): the recording was stopped; mark before stop().');
    this.add({ letter, frame: this.currentFrame(), lane: lane ?? UNLANED });
  }

  stop(): E[] {
    if (!this.stopped) {
      this.stopped = true;
      for (const subscription of this.subscriptions) subscription.unsubscribe();
    }
    return [...this.events];
  }

  toMarbles(options?: MarbleOptions<E>): string {
    requireOptionsObject('recording.toMarbles()', options);
    if (options) rejectUnknownKeys('recording.toMarbles()', options, ['lanes', 'ticks']);
    const ticks = options?.ticks ?? false;
    if (typeof ticks !== 'boolean') {
      throw new TypeError(`recording.toMarbles(): options.ticks must be true or false, got ${describeValue(ticks)}.`);
    }
    // Without ticks, each entry is a frame of its own.
    const entries = ticks ? this.entries : this.entries.map((entry, index) => ({ ...entry, frame: index + 1 }));
    const lanes = options?.lanes;
    if (lanes === undefined)
      return this.frames(entries)
        .map((letters) => group(letters))
        .join('');
    if (typeof lanes !== 'function') {
      throw new TypeError(
        `recording.toMarbles(): options.lanes must be a function from an event to its lane, got ${describeValue(lanes)}. ` +
          'E.g. { lanes: byRequest }.',
      );
    }
    return this.drawLanes(entries, lanes);
  }

  private add(entry: Entry<E>): void {
    this.entries.push(entry);
  }

  /**
   * The frame of an entry recorded now. A tick opens with its first entry and ends in a Promise
   * callback queued then (a native Promise: Jest's fake timers fake `queueMicrotask`, which
   * would stop ticks from ending); later entries get the next frame.
   */
  private currentFrame(): number {
    if (!this.tickOpen) {
      this.frame++;
      this.tickOpen = true;
      void Promise.resolve().then(() => {
        this.tickOpen = false;
      });
    }
    return this.frame;
  }

  /** The letters of each frame that has entries, in order. */
  private frames(entries: readonly Entry<E>[]): string[][] {
    const frames = new Map<number, string[]>();
    for (const { frame, letter } of entries) {
      const letters = frames.get(frame);
      if (letters) letters.push(letter);
      else frames.set(frame, [letter]);
    }
    return [...frames.values()];
  }

  private drawLanes(entries: readonly Entry<E>[], laneOf: (event: E) => string | undefined): string {
    const byLane = new Map<string, Map<number, string[]>>();
    const allFrames = new Set<number>();
    for (const entry of entries) {
      const lane = entry.lane ?? laneOf(entry.event as E) ?? UNLANED;
      let frames = byLane.get(lane);
      if (!frames) byLane.set(lane, (frames = new Map()));
      const letters = frames.get(entry.frame);
      if (letters) letters.push(entry.letter);
      else frames.set(entry.frame, [entry.letter]);
      allFrames.add(entry.frame);
    }
    const lines = [...byLane.keys()].map((): string[] => []);
    for (const frame of [...allFrames].sort((a, b) => a - b)) {
      const cells = [...byLane.values()].map((frames) => group(frames.get(frame) ?? []));
      const width = Math.max(...cells.map((cell) => cell.length));
      // Padding with frames keeps RxJS's reading: a group "(ab)" spans as many frames as characters.
      cells.forEach((cell, index) => lines[index].push(cell.padEnd(width, '-')));
    }
    const names = [...byLane.keys()];
    const nameWidth = Math.max(...names.map((name) => name.length));
    return names.map((name, index) => `${name.padEnd(nameWidth)}  ${lines[index].join('')}`).join('\n');
  }
}

/** One frame's letters: nothing is `-`, one is itself, several are grouped as `(ab)`. */
function group(letters: readonly string[]): string {
  if (letters.length === 0) return '-';
  return letters.length === 1 ? letters[0] : `(${letters.join('')})`;
}
