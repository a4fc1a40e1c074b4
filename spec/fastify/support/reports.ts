import { receiverErrors, type ReceiverError } from '../../../lib';

/**
 * Collects the reports of `receiverErrors` for one test (which also keeps the core's
 * `console.error` fallback quiet). Call `stop()` at the end.
 *
 * @example
 * const reports = collectReports();
 * await app.inject('/');
 * expect(reports.list.map((report) => report.signal.name)).toEqual(['requestStarted']);
 * reports.stop();
 */
export function collectReports(): { readonly list: ReceiverError[]; stop(): void } {
  const list: ReceiverError[] = [];
  const subscription = receiverErrors.subscribe((report) => list.push(report));
  return { list, stop: () => subscription.unsubscribe() };
}
