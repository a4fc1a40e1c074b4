import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { RequestState } from './request-state';
import type { RequestOutcome } from './signals';

/** Sockets whose idle timeout (Fastify's `connectionTimeout`) is watched, and those where it fired. */
const watchedSockets = new WeakSet<Socket>();
const timedOutSockets = new WeakSet<Socket>();

function markTimedOut(this: Socket): void {
  timedOutSockets.add(this);
}

/**
 * Notes when the request's socket times out, so that a request ended by `connectionTimeout` is
 * told from a client abort. One listener per socket, added only when the socket has a timeout; a
 * socket listener does not stop Node from destroying the socket (a server one would).
 *
 * @example
 * watchSocketTimeout(request); // then outcomeOf(state) says 'timeout' after a connectionTimeout
 * @internal
 */
export function watchSocketTimeout(request: FastifyRequest): void {
  const socket = request.raw.socket as Socket | null | undefined;
  // `timeout` is undefined on inject()'s fake socket, 0 without connectionTimeout.
  if (socket == null || !((socket.timeout ?? 0) > 0) || watchedSockets.has(socket)) return;
  watchedSockets.add(socket);
  socket.on('timeout', markTimedOut);
}

/**
 * True when the error is Fastify's `handlerTimeout` firing.
 *
 * @example
 * if (isHandlerTimeout(error)) state.timedOut = true;
 * @internal
 */
export function isHandlerTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'FST_ERR_HANDLER_TIMEOUT';
}

/**
 * How a request ended, decided when its response finished or closed. Precedence: a timeout,
 * then an exception (`gotRequestException` was sent), then whether the response went out in full.
 *
 * @example
 * requestFinished.sendRobust(app, { request, reply, outcome: outcomeOf(state), elapsedMs });
 * @internal
 */
export function outcomeOf(state: RequestState): RequestOutcome {
  if (state.timedOut) return 'timeout';
  if (state.errored) return 'errored';
  if (state.responded) return 'completed';
  return timedOutInFlight(state.request) ? 'timeout' : 'aborted';
}

/** The response closed unfinished: was it a timeout rather than the client leaving? (a rare path) */
function timedOutInFlight(request: FastifyRequest): boolean {
  const socket = request.raw.socket as Socket | null | undefined;
  if (socket != null && timedOutSockets.has(socket)) return true;
  // handlerTimeout firing once headers were out destroys the response without onError; its
  // abort reason tells. Only read `request.signal` when the route has one (else it creates one).
  if (!(request.routeOptions.handlerTimeout > 0)) return false;
  const signal = request.signal;
  return signal.aborted && isHandlerTimeout(signal.reason);
}
