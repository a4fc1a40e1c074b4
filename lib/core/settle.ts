import { adopt } from './is-thenable';
import { reportReceiverError } from './receiver-errors';

/** A receiver failure kept in place by an asynchronous send until every receiver settled. @internal */
export class Failure {
  constructor(
    readonly error: unknown,
    /** The event being delivered, for the report should the failure not be thrown. */
    readonly event: { readonly sender: unknown },
  ) {}
}

/**
 * A thenable response kept in place by an asynchronous send: adopted once, as it was returned,
 * so that settling never reads the receiver's value again.
 * @internal
 */
export class Pending {
  readonly settled: Promise<unknown>;
  constructor(thenable: unknown, then: Function, event: { readonly sender: unknown }) {
    this.settled = adopt(thenable, then).then(undefined, (error: unknown) => new Failure(error, event));
  }
}

type Results = readonly (readonly [receiver: Function, response: unknown])[];

/** True when an asynchronous send's results hold a response still to settle (or a failure). @internal */
export function unsettled(results: Results): boolean {
  return results.some(([, response]) => response instanceof Pending || response instanceof Failure);
}

/**
 * Completes an asynchronous send (`asend`, `asendRobust`): waits for every {@link Pending}
 * response, then resolves with the settled results in connection order, or rejects with the
 * earliest-connected failure (unless `robust`). Failures not thrown to the caller are reported.
 * @internal
 */
export async function settle<R extends Results>(
  signal: { readonly name: string },
  pending: R,
  robust: boolean,
): Promise<R> {
  // Only our own Promises go to Promise.all: it would read `then` (and `constructor`) of anything else.
  const awaited = await Promise.all(
    pending.map(([, response]) => (response instanceof Pending ? response.settled : null)),
  );
  let thrown: Failure | undefined;
  const results = pending.map(([receiver, placeholder], index) => {
    const response = placeholder instanceof Pending ? awaited[index] : placeholder;
    if (!(response instanceof Failure)) return [receiver, response] as const;
    if (robust || thrown) {
      const { error, event } = response;
      reportReceiverError({ signal, sender: event.sender, receiver, error, event });
    } else thrown = response;
    return [receiver, response.error] as const;
  });
  if (thrown) throw thrown.error;
  return results as unknown as R;
}
