import { Observable, Subject } from 'rxjs';
import { functionName } from './checks';

/**
 * One receiver failure that was not thrown to the caller of a send: a receiver that threw in a
 * robust or asynchronous send, a rejected receiver Promise, a receiver called later by a
 * time-shifting operator, or an operator in `options.pipe` that errored.
 *
 * @example
 * receiverErrors.subscribe(({ signal, receiver, error }: ReceiverError) =>
 *   log.error({ err: error }, `${receiver.name} failed on ${signal.name}`),
 * );
 */
export interface ReceiverError {
  /** The signal the failing connection belongs to. */
  readonly signal: { readonly name: string };
  /** The sender of the event being delivered (the connection's bound sender for operator errors outside a send). */
  readonly sender: unknown;
  /** The connected receiver function. */
  readonly receiver: Function;
  /** What was thrown or rejected. */
  readonly error: unknown;
  /** The event being delivered, when the failure happened while delivering one. */
  readonly event?: object;
}

const errors$ = new Subject<ReceiverError>();

/**
 * Every receiver or connection-operator error that was not thrown to the caller.
 *
 * Subscribe to route them to your logger or error tracker. While nothing subscribes (and no
 * adapter such as the Fastify plugin has logged a report), each report is written with
 * `console.error`, so no failure is ever silently lost.
 *
 * @example
 * import { receiverErrors } from 'rx-signals';
 * receiverErrors.subscribe(({ signal, receiver, error }) =>
 *   logger.error({ err: error }, `receiver ${receiver.name} of ${signal.name} failed`));
 */
export const receiverErrors: Observable<ReceiverError> = errors$.asObservable();

/**
 * An adapter's look at every report, ahead of `receiverErrors`. It returns `true` when it has
 * logged the report itself, which spares the `console.error` fallback. @internal
 */
export type ReceiverErrorTap = (report: ReceiverError) => boolean;

const taps = new Set<ReceiverErrorTap>();

/** Adds a tap; the returned function removes it. @internal */
export function tapReceiverErrors(tap: ReceiverErrorTap): () => void {
  taps.add(tap);
  return () => taps.delete(tap);
}

/** Reports one failure to the taps and to `receiverErrors`, falling back to `console.error`. @internal */
export function reportReceiverError(report: ReceiverError): void {
  let logged = false;
  for (const tap of taps) {
    try {
      if (tap(report)) logged = true;
    } catch {
      // A broken tap must not hide the report from the stream below.
    }
  }
  if (errors$.observed) errors$.next(report);
  else if (!logged) logToConsole(report);
}

/** The fallback: never throws, whatever the error is (printing a hostile value may throw). */
function logToConsole(report: ReceiverError): void {
  const headline =
    `rx-signals: receiver ${functionName(report.receiver)} of signal "${report.signal.name}" failed ` +
    '(subscribe to receiverErrors to handle these reports):';
  try {
    console.error(headline, report.error);
  } catch {
    try {
      console.error(headline, '(the error could not be printed)');
    } catch {
      // console.error itself is broken: nothing left to write to.
    }
  }
}
