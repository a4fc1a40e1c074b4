import { requireSignals } from '../core/checks';
import { requireFunction } from './internal/require';
import { runThen } from './internal/run-then';

/**
 * What {@link muted} needs of a signal: any `Signal` fits.
 *
 * @example
 * const signals: MutableSignal[] = [requestStarted, requestFinished];
 */
export interface MutableSignal {
  readonly name: string;
  /** @internal */
  muteReceivers(): () => void;
}

/**
 * Runs `fn` with every receiver of the given signals silenced: sends still happen and reach
 * Observable subscribers (such as {@link recordSignals}), but no connected receiver is called.
 * Nothing is disconnected, so connections and their order are exactly the same afterwards.
 * Returns what `fn` returns; for an async `fn` the receivers stay muted until its Promise settles.
 *
 * Muting is global to the signal while `fn` runs: a send from anywhere else in that time (another
 * app, another test running concurrently in the same process) is muted too. Events a muted
 * receiver missed are not replayed. To silence one receiver only, connect it with
 * `pipe: pausable(paused$)` and use {@link pausedDuring}.
 *
 * @example
 * const response = await muted([requestStarted, requestFinished], () => app.inject('/users'));
 */
export function muted<R>(signals: MutableSignal | readonly MutableSignal[], fn: () => R): R {
  const list = requireSignals<MutableSignal>('muted(signals, fn)', 'signals', signals);
  requireFunction('muted(signals, fn)', fn, 'muted(requestFinished, () => app.inject("/"))');
  const releases = list.map((signal) => signal.muteReceivers());
  return runThen(fn, () => {
    for (const release of releases) release();
  });
}
