import { describeValue } from '../core/checks';
import { requireFunction } from './internal/require';
import { runThen } from './internal/run-then';

/**
 * The switch of a `pausable(...)` connection: a `BehaviorSubject<boolean>` fits.
 *
 * @example
 * const cleanupPaused$: PauseSwitch = new BehaviorSubject(false);
 */
export interface PauseSwitch {
  readonly value: boolean;
  /** Pauses (`true`) or resumes (`false`). */
  next(paused: boolean): void;
}

/**
 * Pauses the connections that read `paused$` (through `pausable(paused$)`) while `fn` runs, then
 * puts back the value it had before, even when `fn` throws or its Promise rejects. Nested calls
 * restore correctly. Returns what `fn` returns.
 *
 * Nothing is disconnected: a paused receiver keeps its place in connection order. Note that a
 * request whose `requestFinished` comes after `fn` ends (a streamed response still being read)
 * is no longer covered; keep such a test paused until that finish has happened (see the README's
 * seed recipe).
 *
 * @example
 * const cleanupPaused$ = new BehaviorSubject(false);
 * requestFinished.connect(db.closeStaleConnections, { pipe: pausable(cleanupPaused$) });
 * const response = await pausedDuring(cleanupPaused$, () => app.inject('/users'));
 */
export function pausedDuring<R>(paused$: PauseSwitch, fn: () => R): R {
  const candidate = paused$ as Partial<PauseSwitch> | null;
  if (typeof candidate?.next !== 'function' || typeof candidate.value !== 'boolean') {
    throw new TypeError(
      `pausedDuring(paused$, fn): paused$ must be a BehaviorSubject<boolean>, got ${describeValue(paused$)}. ` +
        'Create it with new BehaviorSubject(false) and connect with pipe: pausable(paused$).',
    );
  }
  requireFunction('pausedDuring(paused$, fn)', fn, 'pausedDuring(paused$, () => app.inject("/"))');
  const before = paused$.value;
  paused$.next(true);
  return runThen(fn, () => paused$.next(before));
}
