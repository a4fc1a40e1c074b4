import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Signal, type SignalEvent } from '../core/signal';

/**
 * How a request ended, as `requestFinished` reports it.
 *
 * @example
 * const failed = (outcome: RequestOutcome) => outcome !== 'completed';
 */
export type RequestOutcome = 'completed' | 'errored' | 'aborted' | 'timeout';

/**
 * Args of {@link requestStarted}.
 *
 * @example
 * requestStarted.connect(({ request }: RequestStartedArgs) => request.log.info('started'));
 */
export interface RequestStartedArgs {
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * Args of {@link gotRequestException}.
 *
 * @example
 * gotRequestException.connect(({ request, error }: GotRequestExceptionArgs) => request.log.error(error));
 */
export interface GotRequestExceptionArgs {
  request: FastifyRequest;
  reply: FastifyReply;
  error: Error;
}

/**
 * Args of {@link requestFinished}.
 *
 * @example
 * requestFinished.connect(({ reply, outcome, elapsedMs }: RequestFinishedArgs) =>
 *   metrics.observe(outcome, reply.statusCode, elapsedMs),
 * );
 */
export interface RequestFinishedArgs {
  request: FastifyRequest;
  reply: FastifyReply;
  outcome: RequestOutcome;
  /** Milliseconds from `requestStarted` to the end of the request. */
  elapsedMs: number;
}

/**
 * Args of {@link templateRendered}.
 *
 * @example
 * templateRendered.connect(({ template, request }: TemplateRenderedArgs) => request?.log.debug({ template }, 'rendered'));
 */
export interface TemplateRenderedArgs {
  /** The template name or path given to `reply.view` / `app.view`. */
  template: string;
  /** The data the template is rendered with. */
  context: Readonly<Record<string, unknown>>;
  /**
   * The request the render answers (`reply.view`, `reply.viewAsync`), or undefined for a render
   * that belongs to no request (`app.view`). Ties a render to its request, never to a time window.
   */
  request: FastifyRequest | undefined;
}

/**
 * Sent first for every request (Fastify `onRequest`), by the app the plugin is registered on.
 * Django's `request_started`.
 *
 * @example
 * requestStarted.connect(({ request }) => request.log.info('started'));
 */
export const requestStarted = new Signal<RequestStartedArgs, FastifyInstance>('requestStarted');

/**
 * Sent when an error escaped a handler or hook (Fastify `onError`). Django's `got_request_exception`.
 *
 * @example
 * gotRequestException.connect(({ error, request }) => tracker.capture(error, { url: request.url }));
 */
export const gotRequestException = new Signal<GotRequestExceptionArgs, FastifyInstance>('gotRequestException');

/**
 * Sent exactly once for every started request, last, whatever happened. Django's `request_finished`.
 *
 * @example
 * requestFinished.connect(({ outcome, elapsedMs }) => metrics.observe(outcome, elapsedMs));
 */
export const requestFinished = new Signal<RequestFinishedArgs, FastifyInstance>('requestFinished');

/**
 * Sent when `@fastify/view` starts rendering, in an app with the plugin. Django's `template_rendered`.
 *
 * @example
 * templateRendered.connect(({ template, context, request }) => seen.push({ template, context, url: request?.url }));
 */
export const templateRendered = new Signal<TemplateRenderedArgs, FastifyInstance>('templateRendered');

/**
 * An event of `requestStarted`.
 *
 * @example
 * app.signals.requestStarted$.subscribe((event: RequestStartedEvent) => event.request.log.info('started'));
 */
export type RequestStartedEvent = SignalEvent<RequestStartedArgs, FastifyInstance>;

/**
 * An event of `gotRequestException`.
 *
 * @example
 * app.signals.gotRequestException$.subscribe(({ error }: GotRequestExceptionEvent) => tracker.capture(error));
 */
export type GotRequestExceptionEvent = SignalEvent<GotRequestExceptionArgs, FastifyInstance>;

/**
 * An event of `requestFinished`.
 *
 * @example
 * app.signals.requestFinished$.subscribe(({ outcome, elapsedMs }: RequestFinishedEvent) => metrics.observe(outcome, elapsedMs));
 */
export type RequestFinishedEvent = SignalEvent<RequestFinishedArgs, FastifyInstance>;

/**
 * An event of one of the three request signals.
 *
 * @example
 * merge(app.signals.requestStarted$, app.signals.requestFinished$).subscribe((event: RequestLifecycleEvent) => log(event.signal.name));
 */
export type RequestLifecycleEvent = RequestStartedEvent | GotRequestExceptionEvent | RequestFinishedEvent;
