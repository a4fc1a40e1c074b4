import { Observable } from 'rxjs';
import { requireInteger, requireObservable, rejectUnknownKeys, requireOptionsObject } from './checks';

/**
 * Options of {@link pausable}.
 *
 * @example
 * const options: PausableOptions = { buffer: 100 }; // hold the newest 100 events while paused
 * userLoggedIn.connect(audit, { pipe: pausable(paused$, options) });
 */
export interface PausableOptions {
  /**
   * How many events to hold while paused, delivered in order on resume. Beyond it the oldest
   * held event is dropped. 0 (the default) drops every event that arrives while paused.
   */
  buffer?: number;
}

/**
 * The operator that {@link pausable} returns, with its drop count. It is generic in the events it
 * passes, so one kept in a variable (to read `dropped`) fits any signal's `options.pipe`.
 *
 * @example
 * const pauseAudit = pausable(paused$, { buffer: 100 });
 * userLoggedIn.connect(audit, { pipe: pauseAudit });
 * console.log(pauseAudit.dropped, pauseAudit.paused);
 */
export interface PausableOperator {
  <T>(source: Observable<T>): Observable<T>;
  /** Events dropped so far while paused (across every subscription of this operator). */
  readonly dropped: number;
  /** The latest value of `paused$` this operator has seen (false before it emits). */
  readonly paused: boolean;
}

/**
 * Holds back events while the latest value of `paused$` is `true`: drops them, or keeps up to
 * `buffer` of them for delivery in order on resume. It subscribes to its source once, so a
 * connection that is paused and resumed keeps its place in connection order.
 *
 * Before `paused$` emits, events pass. An error of `paused$` ends the connection (and is
 * reported like a receiver error).
 *
 * @example
 * const paused$ = new BehaviorSubject(false);
 * requestFinished.connect(closeStaleConnections, { pipe: pausable(paused$) });
 * paused$.next(true);  // receiver skipped, still connected, same place
 * paused$.next(false); // called again
 */
export function pausable(paused$: Observable<boolean>, options?: PausableOptions): PausableOperator {
  requireObservable(
    'pausable(paused$)',
    'paused$',
    paused$,
    'Pass e.g. a BehaviorSubject<boolean>.',
    'an Observable of booleans',
  );
  requireOptionsObject('pausable()', options);
  if (options) rejectUnknownKeys('pausable()', options, ['buffer']);
  // Only a missing buffer means the default: an explicit null is a mistake, not 0.
  const limit = options?.buffer === undefined ? 0 : options.buffer;
  requireInteger('pausable()', 'options.buffer', limit, {
    allowInfinity: true,
    hint: 'Use 0 to drop events while paused.',
  });

  let dropped = 0;
  let latest = false;
  const operator = <T>(source: Observable<T>) =>
    new Observable<T>((subscriber) => {
      let paused = false;
      let flushing = false;
      const held: T[] = [];

      const flush = () => {
        flushing = true;
        try {
          while (!paused && held.length > 0 && !subscriber.closed) subscriber.next(held.shift()!);
        } finally {
          flushing = false;
        }
      };

      const control = paused$.subscribe({
        next: (value) => {
          paused = latest = value === true;
          if (!paused && !flushing) flush();
        },
        error: (error: unknown) => subscriber.error(error),
      });
      const events = source.subscribe({
        next: (value) => {
          // While held events drain, newer ones queue behind them to keep the order.
          if (!paused && !flushing && held.length === 0) return subscriber.next(value);
          if (!paused) return void held.push(value);
          if (limit === 0) return void dropped++;
          if (held.length >= limit) {
            held.shift();
            dropped++;
          }
          held.push(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        control.unsubscribe();
        events.unsubscribe();
        held.length = 0;
      };
    });
  return Object.defineProperties(operator, {
    dropped: { get: () => dropped, enumerable: true },
    paused: { get: () => latest, enumerable: true },
  }) as PausableOperator;
}
