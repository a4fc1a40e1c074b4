import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { describeValue } from '../core/checks';

/**
 * Lets through only requests that took longer than `thresholdMs` (strictly more). Works on
 * anything with an `elapsedMs`: `requestFinished` events and request summaries alike.
 *
 * @example
 * app.signals.requestFinished$
 *   .pipe(summarizeRequests(), slowerThan(500))
 *   .subscribe((summary) => app.log.warn(summary, 'slow request'));
 */
export function slowerThan<T extends { readonly elapsedMs: number }>(thresholdMs: number): MonoTypeOperatorFunction<T> {
  if (typeof thresholdMs !== 'number' || !Number.isFinite(thresholdMs) || thresholdMs < 0) {
    throw new TypeError(
      `slowerThan(thresholdMs): thresholdMs must be a finite number of milliseconds >= 0, got ${describeValue(thresholdMs)}. ` +
        'For example slowerThan(500) keeps requests that took more than half a second.',
    );
  }
  return filter((request) => request.elapsedMs > thresholdMs);
}
