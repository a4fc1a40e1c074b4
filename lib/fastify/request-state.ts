import type { AsyncResource } from 'node:async_hooks';
import type { Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
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
  /**
   * Its async context as its `onRequest` hooks left it, entered around its `gotRequestException`
   * and `requestFinished` sends; captured only while someone receives those (see request-context.ts).
   */
  context: AsyncResource | undefined = undefined;
  /** False until its route's last `onRequest` hook: a context captured before may still change (see request-context.ts). */
  contextSettled = false;
  /** Its connection: the HTTP/1 socket or HTTP/2 session (kept: a destroyed stream forgets its session). */
  connection: Socket | Http2Session | null = null;
  /** The socket its response waits on behind another one (HTTP/1.1 pipelining), until it finishes. */
  queuedOn: Socket | null = null;
  /** Its recorded events while per-request streams are in use (see `RequestStreams`). */
  events: ReplaySubject<RequestLifecycleEvent> | null = null;
  /** Its neighbours in its app's list of requests in flight (see `InFlightRequests`). */
  previousInFlight: RequestState | null = null;
  nextInFlight: RequestState | null = null;
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
