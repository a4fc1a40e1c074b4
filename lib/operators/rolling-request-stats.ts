import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import {
  describeValue,
  rejectUnknownKeys,
  requireFunction,
  requireOptionsObject,
  requireTimerMs,
} from '../core/checks';
import { isFailedRequest, type RequestSummary } from './summarize-requests';

/**
 * Options of {@link rollingRequestStats}.
 *
 * @example
 * summaries$.pipe(rollingRequestStats({ windowMs: 60_000, isFailed: (s) => (s.statusCode ?? 500) >= 500 }));
 */
export interface RollingRequestStatsOptions {
  /** Width of the rolling window in milliseconds. Default 10,000. */
  windowMs?: number;
  /** What counts as a failed request. Default {@link isFailedRequest} (errored, timeout, 5xx). */
  isFailed?: (summary: RequestSummary) => boolean;
  /** Where time comes from (its `now()` and timers). Default `asyncScheduler`; virtual under `TestScheduler.run`. */
  scheduler?: SchedulerLike;
}

/**
 * Throughput and error rate of the requests that finished within the last `windowMs`.
 *
 * @example
 * { windowMs: 10000, requests: 25, failed: 2, errorRate: 0.08, perSecond: 2.5 }
 */
export interface RequestStats {
  readonly windowMs: number;
  /** Requests that finished within the window. */
  readonly requests: number;
  /** Of those, the failed ones. */
  readonly failed: number;
  /** `failed / requests`, 0 when there were no requests. */
  readonly errorRate: number;
  /** `requests` per second of window (`requests * 1000 / windowMs`). */
  readonly perSecond: number;
}

/** The requests and failures that finished at one instant (one `scheduler.now()` value). */
interface InstantCount {
  readonly at: number;
  requests: number;
  failed: number;
}

const OPTIONS = ['windowMs', 'isFailed', 'scheduler'] as const;

/**
 * Rolling throughput and error rate over a sliding time window. Emits fresh {@link RequestStats}
 * whenever the window changes: on every request summary, and when a request leaves the window —
 * so the numbers fall back to zero when traffic stops, with no polling. Add `auditTime(1000)`
 * (or `sampleTime`) behind it to refresh a display at most once a second.
 *
 * The window is `(now - windowMs, now]`. Memory is bounded by the window, not by traffic:
 * requests that finish at the same millisecond share one counter slot, so it holds at most
 * `windowMs` slots whatever the request rate.
 *
 * @example
 * app.signals.requestFinished$
 *   .pipe(summarizeRequests(), rollingRequestStats({ windowMs: 60_000 }), auditTime(5_000))
 *   .subscribe(({ perSecond, errorRate }) => {
 *     if (errorRate > 0.05) app.log.error({ perSecond, errorRate }, 'error rate above 5 %');
 *   });
 */
export function rollingRequestStats(
  options?: RollingRequestStatsOptions,
): OperatorFunction<RequestSummary, RequestStats> {
  requireOptionsObject('rollingRequestStats()', options);
  if (options) rejectUnknownKeys('rollingRequestStats()', options, OPTIONS);
  const { windowMs = 10_000, isFailed = isFailedRequest, scheduler = asyncScheduler } = options ?? {};
  requireTimerMs('rollingRequestStats()', 'options.windowMs', windowMs, {
    hint: 'For example { windowMs: 60_000 } for the last minute.',
  });
  requireFunction('rollingRequestStats()', 'options.isFailed', isFailed, 'Pass (summary) => boolean.');
  if (typeof (scheduler as SchedulerLike | null)?.schedule !== 'function' || typeof scheduler.now !== 'function') {
    throw new TypeError(
      `rollingRequestStats(): options.scheduler must be an RxJS scheduler, got ${describeValue(scheduler)}. ` +
        'Leave it out to use asyncScheduler.',
    );
  }

  return (source) =>
    new Observable<RequestStats>((subscriber) => {
      // Counts in time order; `head` is the oldest one still in the window (a queue without shift()).
      const slots: InstantCount[] = [];
      let head = 0;
      let requests = 0;
      let failed = 0;
      let expiry: Subscription | null = null;

      const emit = () =>
        subscriber.next({
          windowMs,
          requests,
          failed,
          errorRate: requests === 0 ? 0 : failed / requests,
          perSecond: (requests * 1000) / windowMs,
        });

      /** Drops the slots that left the window; true when any did. */
      const evict = (now: number): boolean => {
        let evicted = false;
        while (head < slots.length && now - slots[head].at >= windowMs) {
          requests -= slots[head].requests;
          failed -= slots[head].failed;
          head++;
          evicted = true;
        }
        if (head === slots.length) {
          slots.length = 0;
          head = 0;
        } else if (head > 1024 && head * 2 > slots.length) {
          slots.splice(0, head); // compact now and then, so the array does not grow forever
          head = 0;
        }
        return evicted;
      };

      /** One timer at a time, for the moment the oldest slot leaves the window. */
      const scheduleExpiry = () => {
        if (expiry !== null || head === slots.length) return;
        const delay = Math.max(0, slots[head].at + windowMs - scheduler.now());
        expiry = scheduler.schedule(() => {
          expiry = null;
          if (evict(scheduler.now())) emit();
          scheduleExpiry();
        }, delay);
      };

      const subscription = source.subscribe({
        next: (summary) => {
          const now = scheduler.now();
          evict(now);
          let failure: number;
          try {
            failure = isFailed(summary) ? 1 : 0;
          } catch (error) {
            return subscriber.error(error); // a throwing predicate ends this pipeline, not the process
          }
          const last = slots.length > head ? slots[slots.length - 1] : undefined;
          if (last !== undefined && last.at === now) {
            last.requests++;
            last.failed += failure;
          } else {
            slots.push({ at: now, requests: 1, failed: failure });
          }
          requests++;
          failed += failure;
          emit();
          scheduleExpiry();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        expiry?.unsubscribe();
        slots.length = 0;
      };
    });
}
