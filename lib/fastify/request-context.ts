import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import type { Signal } from '../core/signal';
import type { SignalArgs } from '../core/types';
import type { RequestState } from './request-state';

/**
 * Receivers of `gotRequestException` and `requestFinished` run in the async context of their
 * request as its `onRequest` hooks left it: whatever `@fastify/request-context`, an OpenTelemetry
 * context manager or a bare `AsyncLocalStorage.run()` in an `onRequest` hook entered for it. They
 * are sent from places that run outside it (a response or socket event, `app.close()`), so the
 * context is captured while the request runs and entered around those sends.
 *
 * When: the plugin's `onRequest` hook runs first, before hooks registered after it, so it
 * captures a first time there (for requests that never get further: an `onRequest` hook
 * answered or failed), and again in the last `onRequest` hook of the route, which the plugin
 * appends to every route's own hooks (`onRoute`): Fastify calls it in the context the hooks
 * before it continued in, before body parsing can lose it. A failure before that point captures
 * in `onError`, where the failing hook left the context. A request matching no route (a 404)
 * has no route hooks: its context is the one the plugin's own `onRequest` hook saw.
 * `requestStarted` is sent from the `onRequest` hook itself and sees the contexts of hooks
 * registered before the plugin.
 *
 * How: an `AsyncResource` (about 110 ns to make, 40 ns to enter), not `AsyncLocalStorage.snapshot()`
 * or `AsyncResource.bind()` (about 7-8 µs each on Node 20), and only for requests someone follows
 * with a receiver of those two signals.
 *
 * @example
 * if (requestFinished.hasListeners(app)) state.context = captureContext();
 * notifyInContext(state, requestFinished, app, { request, reply, outcome, elapsedMs });
 * @internal
 */
export function captureContext(): AsyncResource {
  return new AsyncResource('rx-signals.request');
}

/**
 * Sends `args` on `signal` (robustly, keeping no results) from `app`, in the request's captured
 * context, or in the current one when none was captured.
 *
 * @example
 * notifyInContext(state, gotRequestException, app, { request, reply, error });
 * @internal
 */
export function notifyInContext<Args extends SignalArgs>(
  state: RequestState,
  signal: Signal<Args, FastifyInstance>,
  app: FastifyInstance,
  args: Args,
): void {
  const context = state.context;
  if (context === undefined) signal.notify(app, args);
  else context.runInAsyncScope(signal.notify, signal, app, args);
}
