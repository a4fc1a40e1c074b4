import { LANE_WINDOW_MS, MAX_PER_LANE, RECENT_REQUESTS, type LaneEvent, type SignalView } from '../protocol';

/**
 * What the page remembers between messages. Signal names are keys of `Map`s, never of plain
 * objects: a signal may be called `constructor`, `toString` or `__proto__`.
 *
 * @example
 * const state = new PageState();
 * state.addEvents(batch.events);
 */
export class PageState {
  /** Server clock minus page clock. */
  offset = 0;
  signals: readonly SignalView[] = [];
  /** Signal name → its recent dots, oldest first. */
  readonly lanes = new Map<string, LaneEvent[]>();
  /** Signal name → events seen since the page opened. */
  readonly counts = new Map<string, number>();
  /** Latest finished requests, newest first. */
  recent: LaneEvent[] = [];
  dropped = 0;

  /** Forgets everything (a new `hello`: the server starts afresh). */
  reset(offset: number): void {
    this.offset = offset;
    this.lanes.clear();
    this.counts.clear();
    this.recent = [];
    this.dropped = 0;
  }

  /** Adds a batch of dots, keeping at most {@link MAX_PER_LANE} per lane and {@link RECENT_REQUESTS} requests. */
  addEvents(events: readonly LaneEvent[]): void {
    for (const event of events) {
      let lane = this.lanes.get(event.signal);
      if (lane === undefined) this.lanes.set(event.signal, (lane = []));
      lane.push(event);
      if (lane.length > MAX_PER_LANE) lane.splice(0, lane.length - MAX_PER_LANE);
      this.counts.set(event.signal, (this.counts.get(event.signal) ?? 0) + 1);
      if (event.outcome !== undefined) this.recent.unshift(event);
    }
    if (this.recent.length > RECENT_REQUESTS) this.recent.length = RECENT_REQUESTS;
  }

  /** Drops the dots older than the lane window ending at `now` (server clock). */
  trimLanes(now: number): void {
    const from = now - LANE_WINDOW_MS;
    for (const lane of this.lanes.values()) {
      let old = 0;
      while (old < lane.length && lane[old].at < from) old++;
      if (old > 0) lane.splice(0, old);
    }
  }

  /** Lane names in order: the listed signals first, then any other signal that sent a dot. */
  laneNames(): string[] {
    const names = this.signals.map((signal) => signal.name);
    const listed = new Set(names);
    for (const name of this.lanes.keys()) if (!listed.has(name)) names.push(name);
    return names;
  }
}
