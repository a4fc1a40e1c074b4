import { Failure } from './dispatch';
import { isThenable } from './is-thenable';
import { reportReceiverError } from './receiver-errors';

type Results = readonly (readonly [receiver: Function, response: unknown])[];

/**
 * Completes an asynchronous send (`asend`, `asendRobust`): waits for every response, then
 * resolves with the settled results in connection order, or rejects with the earliest-connected
 * failure (unless `robust`). Failures not thrown to the caller are reported.
 * @internal
 */
export async function settle<R extends Results>(
  signal: { readonly name: string },
  pending: R,
  event: { readonly sender: unknown },
  robust: boolean,
): Promise<R> {
  const responses = await Promise.all(
    pending.map(([, response]) =>
      isThenable(response)
        ? Promise.resolve(response).then(undefined, (error: unknown) => new Failure(error))
        : response,
    ),
  );
  let thrown: Failure | undefined;
  const results = pending.map(([receiver], index) => {
    const response = responses[index];
    if (!(response instanceof Failure)) return [receiver, response] as const;
    if (robust || thrown) reportReceiverError({ signal, sender: event.sender, receiver, error: response.error, event });
    else thrown = response;
    return [receiver, response.error] as const;
  });
  if (thrown) throw thrown.error;
  return results as unknown as R;
}
