import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import { awaitResponses, StartTimeoutError } from './await-start';
import type { ResolvedPluginOptions } from './plugin-options';
import { InFlightRequests } from './in-flight';
import { captureContext, notifyInContext } from './request-context';
import { isHandlerTimeout, outcomeOf, watchConnectionTimeout } from './request-outcome';
import { RequestState } from './request-state';
import { ResponseEnd } from './response-end';
import { startFailureError } from './start-failure';
import { gotRequestException, requestFinished, requestStarted } from './signals';

/**
 * The field of a request that holds its state. A request followed from its start holds its
 * {@link RequestState}; one that started while nobody listened holds its reply (one store, no
 * allocation), so that it can still be followed if asked for later (`eventsOf`).
 */
type Slot = RequestState | FastifyReply | null | undefined;

/**
 * Feeds one app's request lifecycle into the built-in request signals, sender `app`:
 * `requestStarted` from an `onRequest` hook, `gotRequestException` from an `onError` hook, and
 * `requestFinished` exactly once, when the response ended (went out in full, or its connection
 * went away: see {@link ResponseEnd}), or at `app.close()` for a request whose connection is
 * already gone with its events still to come. Listeners on the response cover what the
 * `onResponse`, `onRequestAbort` and `onTimeout` hooks cover between them, for followed requests
 * only, where those hooks would cost every request. `gotRequestException` and `requestFinished`
 * run in the request's captured async context (see request-context.ts).
 *
 * A request is followed only when something listens to this app's request signals when it
 * starts (or asks for it later through `eventsOf`): with nobody listening a request costs three
 * `hasListeners` checks and one store in `onRequest`, and one check in the route's last
 * `onRequest` hook (see {@link RequestLifecycle.onRoute}).
 *
 * @example
 * const lifecycle = new RequestLifecycle(app, resolvePluginOptions(options));
 * app.decorateRequest(lifecycle.key, null);
 * app.addHook('onRequest', lifecycle.onRequest);
 * app.addHook('onRoute', lifecycle.onRoute);
 * app.addHook('onError', lifecycle.onError);
 * @internal
 */
export class RequestLifecycle {
  /** The request field holding a {@link Slot}: one per registration, so nested ones don't mix. */
  readonly key: symbol = Symbol('rx-signals request state');
  /** False once the app closes: later requests are not followed. */
  private accepting = true;
  /** Followed requests not finished yet: `app.close()` ends those whose connection is gone. */
  private readonly inFlight = new InFlightRequests();
  private readonly responses: ResponseEnd;

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: ResolvedPluginOptions,
  ) {
    this.responses = new ResponseEnd(this.key, (state) => this.finish(state));
  }

  /** Fastify `onRequest` hook (callback style: an async hook would cost a Promise per request). */
  readonly onRequest = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (!this.accepting || !this.observed()) {
      (request as unknown as Record<symbol, Slot>)[this.key] = reply;
      done();
      return;
    }
    const state = this.begin(request, reply);
    if (!requestStarted.hasListeners(this.app)) {
      done();
      return;
    }
    const { awaitStartMs } = this.options;
    if (awaitStartMs === 0) {
      requestStarted.notify(this.app, { request, reply }); // nothing reads the results
      return this.proceed(state, done, null);
    }
    const results = requestStarted.sendRobust(this.app, { request, reply });
    if (!awaitResponses(results, awaitStartMs, (pending) => this.proceed(state, done, pending))) {
      this.proceed(state, done, null);
    }
  };

  /**
   * Fastify `onRoute` hook: appends {@link afterOnRequestHooks} to the route's own `onRequest`
   * hooks. Route-level hooks run after every instance-level one, so it is the last `onRequest`
   * hook of the route: the first point where the request's context is as they all left it (see
   * request-context.ts). A function of the `onRequest` list Fastify already runs costs a call
   * per request; a `preParsing` hook would add a hook stage (closures and a bound function per
   * request) to every request, followed or not.
   */
  readonly onRoute = (route: RouteOptions): void => {
    const own = route.onRequest as unknown;
    const hooks: unknown[] = own === undefined ? [] : Array.isArray(own) ? [...own] : [own];
    hooks.push(this.afterOnRequestHooks);
    route.onRequest = hooks as RouteOptions['onRequest'];
  };

  /** The route's last `onRequest` hook (see {@link onRoute}): settles a followed request's context. */
  readonly afterOnRequestHooks = (
    request: FastifyRequest,
    _reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const slot = (request as unknown as Record<symbol, Slot>)[this.key];
    if (slot instanceof RequestState) this.settleContext(slot);
    done();
  };

  /** Fastify `onError` hook: sends `gotRequestException`, unless the request already finished. */
  readonly onError = (request: FastifyRequest, reply: FastifyReply, error: Error, done: () => void): void => {
    let state = this.stateOf(request);
    if (state === undefined) {
      // Our onRequest never ran: an onRequest hook registered before the plugin failed. Start
      // it now so that its receivers still see start, exception, finish.
      if (!this.accepting || !this.observed()) return done();
      state = this.begin(request, reply);
      if (requestStarted.hasListeners(this.app)) requestStarted.notify(this.app, { request, reply });
    }
    // After the finish (a handler failing after its client left) nothing more is sent: the
    // order start, exception*, finish holds. Fastify's error handler still logs the error.
    if (state.finished) return done();
    // Failing in an onRequest hook, before the route's last one: the context is where it left it.
    this.settleContext(state);
    state.errored = true;
    if (isHandlerTimeout(error)) state.timedOut = true;
    if (gotRequestException.hasListeners(this.app)) {
      notifyInContext(state, gotRequestException, this.app, { request, reply, error });
    }
    done();
  };

  /** True when a request starting now would reach anyone: payloads are built only then. */
  observed(): boolean {
    const app = this.app;
    return (
      requestStarted.hasListeners(app) || requestFinished.hasListeners(app) || gotRequestException.hasListeners(app)
    );
  }

  /** The state of a request followed by this registration, if it is. */
  stateOf(request: FastifyRequest): RequestState | undefined {
    const slot = (request as unknown as Record<symbol, Slot>)[this.key];
    return slot instanceof RequestState ? slot : undefined;
  }

  /**
   * Follows a request from now on if it is one of this app's and still open, so that its
   * `requestFinished` is sent (for `eventsOf`). Its `requestStarted` is not sent late: nobody
   * was listening when it started. Returns its state, or undefined when it is over or unknown.
   */
  follow(request: FastifyRequest): RequestState | undefined {
    const slot = (request as unknown as Record<symbol, Slot>)[this.key];
    if (slot instanceof RequestState) return slot;
    if (slot == null || !this.accepting) return undefined;
    const response = slot.raw;
    if (response.writableFinished || response.destroyed) return undefined;
    return this.begin(request, slot);
  }

  /**
   * The app is closing: later requests are not followed, and the requests in flight whose
   * connection is gone (force-closed, or the client left while the server drained) finish now,
   * while the app's receivers are still connected: their `'close'` events may come after
   * Fastify's `onClose` hooks. The others (an `inject()` still running) finish when they end.
   */
  stop(): void {
    this.accepting = false;
    for (const state of this.inFlight.toArray()) if (this.responses.connectionGone(state)) this.finish(state);
  }

  /** The number of followed requests not finished yet. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Sends `requestFinished` once, in the request's context. */
  private finish(state: RequestState): void {
    if (state.finished) return;
    state.finished = true;
    this.inFlight.delete(state);
    this.responses.forget(state);
    if (!requestFinished.hasListeners(this.app)) return;
    const { request, reply } = state;
    notifyInContext(state, requestFinished, this.app, {
      request,
      reply,
      outcome: outcomeOf(state),
      elapsedMs: performance.now() - state.startedAt,
    });
  }

  private begin(request: FastifyRequest, reply: FastifyReply): RequestState {
    const state = new RequestState(request, reply, performance.now());
    (request as unknown as Record<symbol, Slot>)[this.key] = state;
    if (requestFinished.hasListeners(this.app) || gotRequestException.hasListeners(this.app)) {
      state.context = captureContext();
    }
    this.inFlight.add(state);
    state.connection = watchConnectionTimeout(request);
    this.responses.watch(state);
    return state;
  }

  /** Captures the request's context once more, at the first point after its onRequest hooks. */
  private settleContext(state: RequestState): void {
    if (state.contextSettled) return;
    state.contextSettled = true;
    if (state.context !== undefined) state.context = captureContext();
  }

  /** Lets the request go on after `requestStarted`, or fails it (`startErrors: 'fail'`). */
  private proceed(
    state: RequestState,
    done: HookHandlerDoneFunction,
    pendingReceivers: readonly string[] | null,
  ): void {
    const { failOnStartError, awaitStartMs } = this.options;
    if (pendingReceivers !== null) {
      state.request.log.warn(
        { receivers: pendingReceivers, timeoutMs: awaitStartMs },
        `rx-signals: requestStarted receivers ${pendingReceivers.join(', ')} still pending after ` +
          `${awaitStartMs} ms (awaitStart); the request ${failOnStartError ? 'fails' : 'goes on'}`,
      );
    }
    if (!failOnStartError) return done();
    if (state.hasStartFailure) return done(startFailureError(state.startFailure));
    if (pendingReceivers !== null) return done(new StartTimeoutError(awaitStartMs, pendingReceivers));
    done();
  }
}
