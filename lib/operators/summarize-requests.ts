import type { FastifyReply, FastifyRequest } from 'fastify';
import { filter, map, type OperatorFunction } from 'rxjs';
import type { RequestLifecycleEvent, RequestOutcome } from '../fastify/signals';
import { describeValue } from '../core/checks';
import { isRequestFinished } from './request-events';

/**
 * What a finished request looks like to logs, alerts and dashboards: no headers, no body, no
 * query string, no URL — only the route pattern — so a summary is safe to ship anywhere.
 *
 * @example
 * { method: 'GET', route: '/users/:id', statusCode: 200, outcome: 'completed', elapsedMs: 3.1 }
 */
export interface RequestSummary {
  /** The HTTP method, e.g. `'GET'`. */
  readonly method: string;
  /** The route pattern (`'/users/:id'`, never the URL), or {@link UNMATCHED_ROUTE} when no route matched. */
  readonly route: string;
  /** The status code that went out, or null when no response status was sent (aborted, socket timeout). */
  readonly statusCode: number | null;
  /** How the request ended, as `requestFinished` reports it. */
  readonly outcome: RequestOutcome;
  /** Milliseconds from `requestStarted` to the end of the request. */
  readonly elapsedMs: number;
}

/**
 * The `route` of a request that matched no route (Fastify's 404 handler). It stands in for the
 * URL, which may carry ids or secrets and would make the set of routes unbounded.
 *
 * @example
 * summaries$.pipe(filter((summary) => summary.route !== UNMATCHED_ROUTE));
 */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Summarises a finished request from its `request` and `reply`.
 *
 * @example
 * app.signals.connect(requestFinished, (event) => log.info(summarizeRequest(event)));
 */
export function summarizeRequest(event: {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly outcome: RequestOutcome;
  readonly elapsedMs: number;
}): RequestSummary {
  const { request, reply, outcome, elapsedMs } = requireFinishedRequest(event);
  return {
    method: request.method,
    route: request.routeOptions.url ?? UNMATCHED_ROUTE,
    // The reply's status code is only what went out once headers were sent; before that it is
    // Fastify's default 200, which would make an aborted request look successful.
    statusCode: reply.raw.headersSent ? reply.statusCode : null,
    outcome,
    elapsedMs,
  };
}

/** The parts of a `requestFinished` event a summary reads, or a TypeError saying what to pass. */
function requireFinishedRequest<E>(event: E): E {
  const { request, reply } = (typeof event === 'object' && event !== null ? event : {}) as {
    request?: Partial<FastifyRequest>;
    reply?: Partial<FastifyReply>;
  };
  if (typeof request?.method !== 'string' || typeof reply?.raw !== 'object') {
    throw new TypeError(
      `summarizeRequest(event): event must be a requestFinished event ({ request, reply, outcome, elapsedMs }), ` +
        `got ${describeValue(event)}. Pass the event a requestFinished receiver gets.`,
    );
  }
  return event;
}

/**
 * Turns request events into one {@link RequestSummary} per finished request. Other events
 * (`requestStarted`, `gotRequestException`) are skipped, so it fits both `requestFinished$`
 * and a merge of all three request signals.
 *
 * @example
 * app.signals.requestFinished$
 *   .pipe(summarizeRequests())
 *   .subscribe((summary) => app.log.info(summary, 'request'));
 * // { method: 'GET', route: '/users/:id', statusCode: 200, outcome: 'completed', elapsedMs: 3.1 }
 */
export function summarizeRequests(): OperatorFunction<RequestLifecycleEvent, RequestSummary> {
  return (source) => source.pipe(filter(isRequestFinished), map(summarizeRequest));
}

/**
 * The default meaning of "failed" for the rolling error rate and the panel: the server failed
 * the request — an error escaped (`errored`), it timed out (`timeout`), or it answered 5xx. A
 * client that went away (`aborted`) or a 4xx is not a server failure.
 *
 * @example
 * summaries$.pipe(filter(isFailedRequest)).subscribe((summary) => alerts.push(summary));
 */
export function isFailedRequest(summary: Pick<RequestSummary, 'outcome' | 'statusCode'>): boolean {
  return (
    summary.outcome === 'errored' ||
    summary.outcome === 'timeout' ||
    (summary.statusCode !== null && summary.statusCode >= 500)
  );
}
