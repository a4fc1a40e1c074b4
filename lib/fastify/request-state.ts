import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReplaySubject } from 'rxjs';
import type { RequestLifecycleEvent } from './signals';

/**
 * What the plugin knows about one request it follows, from its start to its one `requestFinished`.
 * It lives in a field of the request (indexed by request: no lookup grows with the number of
 * requests in flight).
 *
 * @example
 * const state = new RequestState(request, reply, performance.now());
 * (request as unknown as Record<symbol, RequestState>)[key] = state;
 * @internal
 */
export class RequestState {
  /** `gotRequestException` was sent for it. */
  errored = false;
  /** A timeout (socket `connectionTimeout` or Fastify's `handlerTimeout`) ended it. */
  timedOut = false;
  /** `requestFinished` was sent (or is being sent): nothing more is sent for it. */
  finished = false;
  /** The response went out in full (its `'finish'` came before any `'close'`). */
  responded = false;
  /** The first `requestStarted` receiver failure, kept for `startErrors: 'fail'`. */
  startFailure: unknown = undefined;
  hasStartFailure = false;
  /** Its recorded events while per-request streams are in use (see `RequestStreams`). */
  events: ReplaySubject<RequestLifecycleEvent> | null = null;
  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    /** `performance.now()` when the plugin began following it. */
    readonly startedAt: number,
  ) {}

  /** Keeps the first failure of a `requestStarted` receiver. */
  recordStartFailure(error: unknown): void {
    if (this.hasStartFailure) return;
    this.hasStartFailure = true;
    this.startFailure = error;
  }
}
