import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFailedRequest, summarizeRequest, UNMATCHED_ROUTE } from '../operators/summarize-requests';
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
export function toLaneEvent(
  signal: { readonly name: string },
  event: object,
  at: number,
  numbers: RequestNumbers,
): LaneEvent {
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
