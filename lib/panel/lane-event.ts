import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFailedRequest, UNMATCHED_ROUTE, type RequestSummary } from '../operators/summarize-requests';
import { gotRequestException, requestFinished, requestStarted, type RequestOutcome } from '../fastify/signals';
import type { LaneEvent } from './protocol';

/** What a request signal's event carries that the panel may read. */
interface RequestEventFields {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly outcome?: RequestOutcome;
  readonly elapsedMs?: number;
}

/**
 * What the panel notes about each request: a panel-local number, and its route pattern read
 * once (Fastify's `request.routeOptions` builds and freezes a new object at every read). Both
 * live in fields of the request (symbols of this instance's own, as the plugin keeps its request
 * state): a WeakMap keyed by requests cost more than the rest of the panel's work per request.
 * The panel declares the fields with `decorateRequest` ({@link keys}), so that Fastify's request
 * objects are built with them and keep one shape, instead of each gaining two properties as a
 * page watches it.
 *
 * @example
 * const marks = new RequestMarks();
 * marks.number(request); // 1, and 1 again for the same request
 * marks.route(request);  // '/users/:id'
 * @internal
 */
export class RequestMarks {
  private readonly numberKey = Symbol('rx-signals panel request number');
  private readonly routeKey = Symbol('rx-signals panel route');
  private next = 1;

  /** The request fields the marks live in, to declare with `app.decorateRequest(key, null)`. */
  get keys(): readonly symbol[] {
    return [this.numberKey, this.routeKey];
  }

  number(request: object): number {
    const fields = request as Record<symbol, number | undefined>;
    return (fields[this.numberKey] ??= this.next++);
  }

  /** The route pattern, or `(unmatched)` when no route matched. */
  route(request: FastifyRequest): string {
    const fields = request as unknown as Record<symbol, string | undefined>;
    return (fields[this.routeKey] ??= request.routeOptions.url ?? UNMATCHED_ROUTE);
  }
}

/**
 * Projects a signal event onto the few fields the panel may show: it copies named fields, never
 * spreads the event, so what a signal carries can never leak into the stream by accident.
 *
 * @example
 * toLaneEvent(requestFinished, 'requestFinished', event, Date.now(), marks); // or with its summary, if made
 * // { signal: 'requestFinished', at, request: 7, method: 'GET', route: '/users/:id',
 * //   statusCode: 200, outcome: 'completed', elapsedMs: 3.2, failing: false }
 * @internal
 */
export function toLaneEvent(
  signal: object,
  label: string,
  event: object,
  at: number,
  marks: RequestMarks,
  summary?: RequestSummary,
): LaneEvent {
  if (signal !== requestStarted && signal !== gotRequestException && signal !== requestFinished) {
    return { signal: label, at };
  }
  const { request } = event as RequestEventFields;
  const number = marks.number(request);
  const route = marks.route(request);
  if (signal === requestStarted) return { signal: label, at, request: number, method: request.method, route };
  if (signal === gotRequestException)
    return { signal: label, at, request: number, method: request.method, route, failing: true };
  const finished = summary ?? summarizeFinished(event as RequestEventFields, route);
  return {
    signal: label,
    at,
    request: number,
    method: request.method,
    route,
    statusCode: finished.statusCode,
    outcome: finished.outcome,
    elapsedMs: finished.elapsedMs,
    failing: isFailedRequest(finished),
  };
}

/**
 * `summarizeRequest` of a `requestFinished` event whose route the caller already read.
 *
 * @example
 * summarizeFinished(event, marks.route(event.request)); // { method, route, statusCode, outcome, elapsedMs }
 * @internal
 */
export function summarizeFinished(
  event: {
    readonly request: FastifyRequest;
    readonly reply: FastifyReply;
    readonly outcome?: RequestOutcome;
    readonly elapsedMs?: number;
  },
  route: string,
): RequestSummary {
  const { request, reply, outcome, elapsedMs } = event;
  return {
    method: request.method,
    route,
    // As summarizeRequest: the status only counts once headers went out.
    statusCode: reply.raw.headersSent ? reply.statusCode : null,
    outcome: outcome!,
    elapsedMs: elapsedMs!,
  };
}
