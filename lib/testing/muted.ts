import { rejectUnknownKeys, requireOptionsObject, requireSignals } from '../core/checks';
import { requireReceiverSelectors, type ReceiverSelector } from './internal/receiver-selectors';
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
  muteReceivers(selectors?: readonly ReceiverSelector[]): () => void;
}

/**
 * Options of {@link muted}.
 *
 * @example
 * muted([requestStarted, requestFinished], () => app.inject('/'), { receivers: [db.closeStaleConnections] });
 */
export interface MutedOptions {
  /**
   * Mute only these receivers (the functions, or the dispatchUids they were connected with),
   * wherever they are connected on the signals and whoever connected them, behind a `pipe` too;
   * every other receiver runs. One not connected anywhere is fine.
   */
  receivers?: readonly ReceiverSelector[];
}

/**
 * Runs `fn` with the receivers of the given signals silenced: every one of them, or with
 * `{ receivers }` only those. Sends still happen and reach Observable subscribers (such as
 * {@link recordSignals}) and the receivers not muted. Nothing is disconnected, so connections and
 * their order are exactly the same afterwards. Returns what `fn` returns; for an async `fn` the
 * receivers stay muted until its Promise settles.
 *
 * `{ receivers }` is django-webtest's "disconnect `close_old_connections` around the request"
 * without disconnecting: the app needs no `pausable` wired in advance. A receiver connected while
 * `fn` runs is muted too (a selector names a receiver, not a connection).
 *
 * Muting is global to the signal while `fn` runs: a send from anywhere else in that time (another
 * app, another test running concurrently in the same process) is muted too. Events a muted
 * receiver missed are not replayed. To mute receivers for one request's events only, use
 * `testClient(app, { mute })`.
 *
 * @example
 * const response = await muted([requestStarted, requestFinished], () => app.inject('/users'), {
 *   receivers: [db.closeStaleConnections],
 * });
 */
export function muted<R>(signals: MutableSignal | readonly MutableSignal[], fn: () => R, options?: MutedOptions): R {
  const list = requireSignals<MutableSignal>('muted(signals, fn)', 'signals', signals);
  requireFunction('muted(signals, fn)', fn, 'muted(requestFinished, () => app.inject("/"))');
  requireOptionsObject('muted(signals, fn, options)', options);
  if (options) rejectUnknownKeys('muted(signals, fn, options)', options, ['receivers']);
  const receivers =
    options?.receivers === undefined
      ? undefined
      : requireReceiverSelectors('muted(signals, fn, options)', 'options.receivers', options.receivers);
  const releases = list.map((signal) => signal.muteReceivers(receivers));
  return runThen(fn, () => {
    for (const release of releases) release();
  });
}
