import type { RequestOutcome } from '../../fastify/signals';
import { gotRequestException, type GotRequestExceptionEvent } from '../../fastify/signals';
import { BUILT_IN_LETTERS } from '../marble-alphabet';
import type { ClientEvent, ClientRequest } from './client-request';

/**
 * What a test-client response carries beside light-my-request's fields: what the signals said
 * about that request, and only that one. `Response` is the type of the responses in `redirects`.
 *
 * @example
 * const { templates, context, marbles, outcome }: TestResponseFields<TestResponse> = await client.get('/');
 */
export interface TestResponseFields<Response> {
  /** Every template rendered for this request, in render order (Django's `response.templates`). */
  readonly templates: readonly string[];
  /** The first render's context, copied at render time; undefined when nothing rendered (Django's `response.context`). */
  readonly context: Readonly<Record<string, unknown>> | undefined;
  /** Every render's context, copied at render time, in render order. */
  readonly contexts: readonly Readonly<Record<string, unknown>>[];
  /** This request's events on the request signals and `templateRendered`, in send order. */
  readonly events: readonly ClientEvent[];
  /** The errors of its `gotRequestException`s, in order. */
  readonly exceptions: readonly Error[];
  /** How it ended, as its `requestFinished` said. */
  readonly outcome: RequestOutcome;
  /** Milliseconds from its `requestStarted` to its end, as its `requestFinished` said. */
  readonly elapsedMs: number;
  /** Its events as letters: `s` started, `x` exception, `t` template rendered, `f` finished, e.g. `'stf'`. */
  readonly marbles: string;
  /** The redirect responses followed before this one (`follow`), in order, each with its own fields. */
  readonly redirects: readonly Response[];
}

/**
 * The fields of a finished client request (its `requestFinished` was sent).
 *
 * @example
 * Object.assign(response, responseFields(record), { redirects: [] });
 * @internal
 */
export function responseFields<Response>(record: ClientRequest): Omit<TestResponseFields<Response>, 'redirects'> {
  const finish = record.finish!;
  const events = record.events;
  return {
    templates: record.templates,
    context: record.contexts[0],
    contexts: record.contexts,
    events,
    exceptions: events
      .filter((event): event is GotRequestExceptionEvent => event.signal === gotRequestException)
      .map((event) => event.error),
    outcome: finish.outcome,
    elapsedMs: finish.elapsedMs,
    marbles: events.map((event) => BUILT_IN_LETTERS.get(event.signal)).join(''),
  };
}
