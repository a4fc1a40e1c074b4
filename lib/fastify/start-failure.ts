import { isNativeError, isProxy } from 'node:util/types';
import { describeValue } from '../core/checks';

/**
 * What fails a request (`startErrors: 'fail'`) when a `requestStarted` receiver threw or rejected
 * with something that is not a readable Error: a non-Error, a Proxy, an Error whose properties
 * throw when read. A 500 through Fastify's error handler; what was thrown is its `cause`.
 *
 * @example
 * app.setErrorHandler((error, request, reply) => {
 *   if (error instanceof StartFailureError) request.log.error({ cause: error.cause }, 'start failed');
 *   reply.send(error);
 * });
 */
export class StartFailureError extends Error {
  readonly code = 'RX_SIGNALS_START_FAILURE';
  readonly statusCode = 500;

  constructor(thrown: unknown) {
    super(`a requestStarted receiver failed with ${describeValue(thrown)}, not an Error`, { cause: thrown });
    this.name = 'StartFailureError';
  }
}

/**
 * The error to hand to Fastify for a failed `requestStarted` receiver: what it threw when that is
 * a genuine Error whose properties read without throwing (Fastify's error handler and its logger
 * read `statusCode`, `headers`, `message`, every enumerable key...), else a
 * {@link StartFailureError} wrapping it. Never throws, whatever it is given.
 *
 * @example
 * done(startFailureError(state.startFailure));
 * @internal
 */
export function startFailureError(thrown: unknown): Error {
  return isReadableError(thrown) ? thrown : new StartFailureError(thrown);
}

function isReadableError(value: unknown): value is Error {
  if (!isNativeError(value) || isProxy(value)) return false;
  try {
    const fields = value as unknown as Record<string, unknown>;
    for (const key of ['message', 'name', 'stack', 'statusCode', 'status', 'headers', 'code', 'cause'])
      void fields[key];
    for (const key in fields) void fields[key];
    return true;
  } catch {
    return false;
  }
}
