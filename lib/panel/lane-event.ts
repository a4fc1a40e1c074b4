import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFailedRequest, summarizeRequest, UNMATCHED_ROUTE } from '../operators/summarize-requests';
import { gotRequestException, requestFinished, requestStarted, type RequestOutcome } from '../fastify/signals';

/**
 * One dot on a panel lane: which signal fired and when, and for the request signals only the
 * method, route pattern, status, outcome and timing. Never a header, a body, a URL or query
 * string, an error message, a template context or a setting's value: the panel may be watched
 * by people who must not see request data.
 *
 * @example
 * // a failing request's finish, as the page receives it
 * { signal: 'requestFinished', at: 1732428000000, request: 7, method: 'GET', route: '/fail',
 *   statusCode: 500, outcome: 'errored', elapsedMs: 1.4, failing: true }
 */
export interface LaneEvent {
  /** The signal's name. */
  readonly signal: string;
  /** When it fired (server clock, milliseconds since the epoch). */
  readonly at: number;
  /** A panel-local number per request, to tell which dots belong together (not the request id). */
  readonly request?: number;
  readonly method?: string;
  /** The route pattern, never the URL. */
  readonly route?: string;
  /** Sent status (requestFinished), or null when none went out. */
  readonly statusCode?: number | null;
  readonly outcome?: RequestOutcome;
  readonly elapsedMs?: number;
  /** True when the request failed or an exception was raised: drawn as failing. */
  readonly failing?: boolean;
}

/** What a request signal's event carries that the panel may read. */
interface RequestEventFields {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly outcome?: RequestOutcome;
  readonly elapsedMs?: number;
}

/**
 * Numbers requests for the panel, holding each request weakly, so correlating dots never keeps
 * a request alive.
 *
 * @example
 * const numbers = new RequestNumbers();
 * numbers.of(request); // 1, and 1 again for the same request
 * @internal
 */
export class RequestNumbers {
  private readonly numbers = new WeakMap<object, number>();
  private next = 1;

  of(request: object): number {
    let number = this.numbers.get(request);
    if (number === undefined) this.numbers.set(request, (number = this.next++));
    return number;
  }
}

/**
 * Projects a signal event onto the few fields the panel may show: it copies named fields, never
 * spreads the event, so what a signal carries can never leak into the stream by accident.
 *
 * @example
 * toLaneEvent(requestFinished, event, Date.now(), numbers);
 * // { signal: 'requestFinished', at, request: 7, method: 'GET', route: '/users/:id',
 * //   statusCode: 200, outcome: 'completed', elapsedMs: 3.2, failing: false }
 * @internal
 */
export function toLaneEvent(signal: { readonly name: string }, event: object, at: number, numbers: RequestNumbers): LaneEvent {
  if (signal !== requestStarted && signal !== gotRequestException && signal !== requestFinished) {
    return { signal: signal.name, at };
  }
  const { request, reply, outcome, elapsedMs } = event as RequestEventFields;
  const base = {
    signal: signal.name,
    at,
    request: numbers.of(request),
    method: request.method,
    route: request.routeOptions.url ?? UNMATCHED_ROUTE,
  };
  if (signal === requestStarted) return base;
  if (signal === gotRequestException) return { ...base, failing: true };
  const summary = summarizeRequest({ request, reply, outcome: outcome!, elapsedMs: elapsedMs! });
  return {
    ...base,
    statusCode: summary.statusCode,
    outcome: summary.outcome,
    elapsedMs: summary.elapsedMs,
    failing: isFailedRequest(summary),
  };
}
