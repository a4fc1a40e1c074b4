import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { requireNumber } from '../core/checks';

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
  requireNumber('slowerThan(thresholdMs)', 'thresholdMs', thresholdMs, {
    hint: 'Give milliseconds: slowerThan(500) keeps requests that took more than half a second.',
  });
  return filter((request) => request.elapsedMs > thresholdMs);
}
