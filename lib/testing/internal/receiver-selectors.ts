import { describeValue, isArray } from '../../core/checks';

/**
 * What names a receiver to mute: the function, or the dispatchUid it was connected with.
 *
 * @example
 * const mute: ReceiverSelector[] = [db.closeStaleConnections, 'audit.log-request'];
 */
export type ReceiverSelector = Function | string | symbol;

/**
 * A copy of a list of receiver selectors, or a `TypeError` naming the bad entry and what to pass.
 * A receiver connected nowhere is fine: it may be connected later.
 *
 * @example
 * const mute = requireReceiverSelectors('testClient(app, options)', 'options.mute', options.mute);
 * @internal
 */
export function requireReceiverSelectors(where: string, name: string, selectors: unknown): ReceiverSelector[] {
  if (!isArray(selectors)) {
    throw new TypeError(
      `${where}: ${name} must be an array of receivers, got ${describeValue(selectors)}. ` +
        `Pass the functions (or the dispatchUids they were connected with), e.g. { ${name.replace(/^options\./, '')}: [closeStaleConnections] }.`,
    );
  }
  selectors.forEach((selector, index) => {
    if (typeof selector !== 'function' && typeof selector !== 'string' && typeof selector !== 'symbol') {
      throw new TypeError(
        `${where}: ${name}[${index}] must be a receiver function or the dispatchUid (a string or symbol) ` +
          `it was connected with, got ${describeValue(selector)}.`,
      );
    }
  });
  return [...(selectors as ReceiverSelector[])];
}
