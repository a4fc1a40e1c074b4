import { Failure, Pending } from './dispatch';
import { reportReceiverError } from './receiver-errors';

type Results = readonly (readonly [receiver: Function, response: unknown])[];

/**
 * Completes an asynchronous send (`asend`, `asendRobust`): waits for every {@link Pending}
 * response, then resolves with the settled results in connection order, or rejects with the
 * earliest-connected failure (unless `robust`). Failures not thrown to the caller are reported.
 * @internal
 */
export async function settle<R extends Results>(
  signal: { readonly name: string },
  pending: R,
  event: { readonly sender: unknown },
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
    if (robust || thrown) reportReceiverError({ signal, sender: event.sender, receiver, error: response.error, event });
    else thrown = response;
    return [receiver, response.error] as const;
  });
  if (thrown) throw thrown.error;
  return results as unknown as R;
}
