import { functionName } from '../core/checks';
import type { SendResults, SignalArgs } from '../core/signal';
import { adopt, thenOf } from '../core/is-thenable';

/**
 * The error that fails a request when `awaitStart`'s bound expires with `startErrors: 'fail'`:
 * a 503, through Fastify's error handler.
 *
 * @example
 * app.setErrorHandler((error, request, reply) => {
 *   if ((error as { code?: string }).code === 'RX_SIGNALS_START_TIMEOUT') return reply.code(503).send('busy');
 *   reply.send(error);
 * });
 */
export class StartTimeoutError extends Error {
  readonly code = 'RX_SIGNALS_START_TIMEOUT';
  readonly statusCode = 503;

  constructor(
    /** The bound that expired. */
    readonly timeoutMs: number,
    /** Names of the `requestStarted` receivers that had not settled. */
    readonly pendingReceivers: readonly string[],
  ) {
    super(
      `requestStarted receivers did not settle within ${timeoutMs} ms (awaitStart): ${pendingReceivers.join(', ')}. ` +
        'Make them faster, or raise awaitStart.timeoutMs.',
    );
    this.name = 'StartTimeoutError';
  }
}

/**
 * Waits, at most `timeoutMs`, for the Promises that receivers returned in a send. Calls `settled`
 * once: with `null` when every one settled (fulfilled or rejected: rejections are the send's to
 * report), or with the names of the receivers still pending when the bound expired. Returns false,
 * without calling `settled`, when no receiver returned a Promise, so the caller goes on at once.
 *
 * @example
 * const results = requestStarted.sendRobust(app, { request, reply });
 * if (!awaitResponses(results, 500, (pending) => done())) done();
 * @internal
 */
export function awaitResponses<Args extends SignalArgs, Sender>(
  results: SendResults<Args, Sender>,
  timeoutMs: number,
  settled: (pendingReceivers: readonly string[] | null) => void,
): boolean {
  // By position, not by receiver: one function may be connected twice (any sender and this app).
  const pending = new Map<number, { receiver: Function; settling: Promise<unknown> }>();
  results.forEach(([receiver, response], index) => {
    // Adopted through the `then` read once, never by `Promise.resolve`: that reads a Promise's
    // `constructor`, which may throw out of the onRequest hook. A `then` that throws when called
    // counts as settled; one that cannot be read is no thenable: nothing to wait for.
    const then = thenOf(response);
    if (then !== undefined) pending.set(index, { receiver, settling: adopt(response, then) });
  });
  if (pending.size === 0) return false;

  let done = false;
  const timer = setTimeout(() => {
    if (done) return;
    done = true;
    settled([...pending.values()].map(({ receiver }) => functionName(receiver)));
  }, timeoutMs);
  for (const [index, { settling }] of pending) {
    const forget = () => {
      pending.delete(index);
      if (pending.size > 0 || done) return;
      done = true;
      clearTimeout(timer);
      settled(null);
    };
    settling.then(forget, forget);
  }
  return true;
}
