import type { Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { RequestState } from './request-state';
import type { RequestOutcome } from './signals';

/**
 * Connections (HTTP/1 sockets, HTTP/2 sessions) whose idle timeout is watched, and those where it
 * fired. Fastify's `connectionTimeout` is the socket's timeout; on HTTP/2 the session's (it takes
 * `http2SessionTimeout` as its delay).
 */
const watchedConnections = new WeakSet<Socket | Http2Session>();
const timedOutConnections = new WeakSet<Socket | Http2Session>();

function markTimedOut(this: Socket | Http2Session): void {
  timedOutConnections.add(this);
}

/** The HTTP/2 session of a request, undefined for HTTP/1 (and inject()). */
function sessionOf(request: FastifyRequest): Http2Session | undefined {
  return (request.raw as { stream?: { session?: Http2Session } }).stream?.session;
}

/**
 * Notes when the request's connection times out, so that a request ended by `connectionTimeout`
 * is told from a client abort; returns the connection, for {@link outcomeOf} (an HTTP/2 stream
 * forgets its session once destroyed). One listener per connection (an HTTP/1 socket only when
 * it has a timeout); a listener there does not stop Node from destroying it (a server one would).
 *
 * @example
 * state.connection = watchConnectionTimeout(request); // outcomeOf(state): 'timeout' after a connectionTimeout
 * @internal
 */
export function watchConnectionTimeout(request: FastifyRequest): Socket | Http2Session | null {
  const raw = request.raw;
  if (raw.httpVersionMajor === 2) {
    const session = sessionOf(request) ?? null;
    if (session === null || watchedConnections.has(session)) return session;
    watchedConnections.add(session);
    session.on('timeout', markTimedOut);
    return session;
  }
  const socket = (raw.socket as Socket | null | undefined) ?? null;
  // `timeout` is undefined on inject()'s fake socket, 0 without connectionTimeout.
  if (socket === null || !((socket.timeout ?? 0) > 0) || watchedConnections.has(socket)) return socket;
  watchedConnections.add(socket);
  socket.on('timeout', markTimedOut);
  return socket;
}

/**
 * True when the error is Fastify's `handlerTimeout` firing. Never throws, whatever was thrown.
 *
 * @example
 * if (isHandlerTimeout(error)) state.timedOut = true;
 * @internal
 */
export function isHandlerTimeout(error: unknown): boolean {
  try {
    return (error as { code?: unknown } | null)?.code === 'FST_ERR_HANDLER_TIMEOUT';
  } catch {
    return false; // a Proxy or a getter that throws: not Fastify's error
  }
}

/**
 * How a request ended, decided when it finished. Precedence: a timeout, then an exception
 * (`gotRequestException` was sent), then whether the response went out in full.
 *
 * @example
 * requestFinished.notify(app, { request, reply, outcome: outcomeOf(state), elapsedMs });
 * @internal
 */
export function outcomeOf(state: RequestState): RequestOutcome {
  if (state.timedOut) return 'timeout';
  if (state.errored) return 'errored';
  if (state.responded) return 'completed';
  return timedOutInFlight(state) ? 'timeout' : 'aborted';
}

/** The response ended unfinished: was it a timeout rather than the client leaving? (a rare path) */
function timedOutInFlight({ request, connection }: RequestState): boolean {
  if (connection !== null && timedOutConnections.has(connection)) return true;
  // handlerTimeout firing once headers were out destroys the response without onError; its
  // abort reason tells. Only read `request.signal` when the route has one (else it creates one).
  if (!(request.routeOptions.handlerTimeout > 0)) return false;
  const signal = request.signal;
  return signal.aborted && isHandlerTimeout(signal.reason);
}
