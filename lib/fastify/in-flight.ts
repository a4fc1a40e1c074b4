import type { RequestState } from './request-state';

/**
 * The requests an app follows and has not finished, linked through their states.
 *
 * Why not a `Set`: a long-lived Set whose entries come and go reallocates its table whenever
 * deleted entries fill it, and each table, promoted by the next scavenge, dies in the old
 * generation: the busy bench server's heap grew between full collections, and it served 12-14 %
 * fewer requests than with this list (docs/benchmarks.md). Two links per state cost a few stores.
 *
 * @example
 * const inFlight = new InFlightRequests();
 * inFlight.add(state);
 * inFlight.delete(state); // idempotent
 * @internal
 */
export class InFlightRequests {
  private head: RequestState | null = null;
  private count = 0;

  /** How many requests are in the list. */
  get size(): number {
    return this.count;
  }

  /** Adds a state that is in no list. */
  add(state: RequestState): void {
    const head = this.head;
    state.nextInFlight = head;
    if (head !== null) head.previousInFlight = state;
    this.head = state;
    this.count++;
  }

  /** Removes a state; does nothing for one that is not in the list. */
  delete(state: RequestState): void {
    const { previousInFlight: previous, nextInFlight: next } = state;
    if (previous === null && this.head !== state) return;
    if (previous === null) this.head = next;
    else previous.nextInFlight = next;
    if (next !== null) next.previousInFlight = previous;
    state.previousInFlight = null;
    state.nextInFlight = null;
    this.count--;
  }

  /** The states, newest first, as an array (safe to change the list while walking it). */
  toArray(): RequestState[] {
    const states: RequestState[] = [];
    for (let state = this.head; state !== null; state = state.nextInFlight) states.push(state);
    return states;
  }
}
