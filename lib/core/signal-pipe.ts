import type { Observable, OperatorFunction } from 'rxjs';
import { requireFunction } from './checks';

/**
 * `signal.pipe(...)`: the events of a signal through RxJS operators, typed as `Observable.pipe`
 * types them. Declared apart from `Signal` (which merges it in) because its overloads are half
 * the length of the class.
 *
 * @example
 * const slow$ = requestFinished.pipe(filter((event) => event.elapsedMs > 500));
 */
export interface SignalPipe<T> {
  /**
   * Pipes every event of this signal through RxJS operators.
   *
   * @example
   * const slow$ = requestFinished.pipe(filter((event) => event.elapsedMs > 500));
   */
  pipe(): Observable<T>;
  /** The events through one operator. */
  pipe<A>(op1: OperatorFunction<T, A>): Observable<A>;
  /** The events through two operators. */
  pipe<A, B>(op1: OperatorFunction<T, A>, op2: OperatorFunction<A, B>): Observable<B>;
  /** The events through three operators. */
  pipe<A, B, C>(op1: OperatorFunction<T, A>, op2: OperatorFunction<A, B>, op3: OperatorFunction<B, C>): Observable<C>;
  /** The events through four operators. */
  pipe<A, B, C, D>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
  ): Observable<D>;
  /** The events through five operators. */
  pipe<A, B, C, D, E>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
  ): Observable<E>;
  /** The events through six operators. */
  pipe<A, B, C, D, E, F>(
    op1: OperatorFunction<T, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
  ): Observable<F>;
  /** The events through any number of operators (the result's type is lost past six). */
  pipe(...operations: OperatorFunction<never, unknown>[]): Observable<unknown>;
}

/**
 * The implementation of {@link SignalPipe.pipe}, installed on `Signal.prototype`.
 * @internal
 */
export function pipeSignal(
  this: { readonly name: string; asObservable(): Observable<unknown> },
  ...operations: OperatorFunction<never, unknown>[]
): Observable<unknown> {
  operations.forEach((operation, index) =>
    requireFunction(
      `${this.name}.pipe()`,
      `operator ${index + 1}`,
      operation,
      'Pass RxJS operators, e.g. signal.pipe(filter((event) => ...), map((event) => ...)).',
    ),
  );
  return operations.reduce<Observable<unknown>>(
    (source, operation) => operation(source as Observable<never>),
    this.asObservable(),
  );
}
