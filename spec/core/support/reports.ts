import { receiverErrors, type ReceiverError } from '../../../lib/core/receiver-errors';

/**
 * What {@link recordReports} gives a spec file: the reports of the running test.
 *
 * @example
 * expect(log.reports.map((report) => report.error)).toEqual([failure]);
 */
export interface ReportLog {
  /** The `receiverErrors` reports seen since the current test started, in order. */
  readonly reports: ReceiverError[];
}

/**
 * Subscribes to `receiverErrors` for every test of the calling spec file and collects the reports
 * of the running test (also keeping the `console.error` fallback quiet, since the stream is observed).
 *
 * @example
 * const log = recordReports();
 * it('reports', () => {
 *   signal.sendRobust(sender);
 *   expect(log.reports).toHaveLength(1);
 * });
 */
export function recordReports(): ReportLog {
  const log = { reports: [] as ReceiverError[] };
  let subscription: { unsubscribe(): void } | undefined;
  beforeEach(() => {
    log.reports = [];
    subscription = receiverErrors.subscribe((report) => log.reports.push(report));
  });
  afterEach(() => subscription?.unsubscribe());
  return log;
}
