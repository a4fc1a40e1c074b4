/**
 * Type tests of the Fastify plugin: `app.signals` through `declare module 'fastify'`, the event
 * types of its streams, `connect`, `eventsOf`, and the plugin's options at `register`.
 * Compiled against the packed package by spec/package/package.spec.ts, never executed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Observable, Subscription } from 'rxjs';
import {
  signalsPlugin,
  requestFinished,
  requestStarted,
  settingChanged,
  type AppSignals,
  type RequestLifecycleEvent,
  type RequestOutcome,
  type SignalsPluginOptions,
} from 'rx-signals';
import { expectTrue, type Equal } from './expect-type';

declare const app: FastifyInstance;
declare const request: FastifyRequest;

// The augmentation: every FastifyInstance has `signals`.
expectTrue<Equal<typeof app.signals, AppSignals>>();

// Streams carry the built-in events, typed.
app.signals.requestStarted$.subscribe((event) => {
  expectTrue<Equal<typeof event.request, FastifyRequest>>();
  expectTrue<Equal<typeof event.reply, FastifyReply>>();
  expectTrue<Equal<typeof event.sender, FastifyInstance>>();
  // @ts-expect-error: requestStarted has no outcome
  void event.outcome;
});
app.signals.gotRequestException$.subscribe(({ error }) => {
  expectTrue<Equal<typeof error, Error>>();
});
app.signals.requestFinished$.subscribe(({ outcome, elapsedMs }) => {
  expectTrue<Equal<typeof outcome, RequestOutcome>>();
  expectTrue<Equal<typeof elapsedMs, number>>();
});
expectTrue<Equal<typeof app.signals.requests$, Observable<Observable<RequestLifecycleEvent>>>>();
expectTrue<Equal<ReturnType<typeof app.signals.eventsOf>, Observable<RequestLifecycleEvent>>>();
app.signals.eventsOf(request);
// @ts-expect-error: eventsOf takes a Fastify request
app.signals.eventsOf('/path');

// connect: typed like signal.connect, returns a Subscription.
const subscription: Subscription = app.signals.connect(requestFinished, ({ outcome, request: finished }) => {
  expectTrue<Equal<typeof outcome, RequestOutcome>>();
  expectTrue<Equal<typeof finished, FastifyRequest>>();
});
void subscription;
app.signals.connect(requestStarted, () => undefined, { dispatchUid: 'audit' });
app.signals.connect(settingChanged, ({ setting, value }) => `${setting}=${String(value)}`);
// @ts-expect-error: requestStarted events have no elapsedMs
app.signals.connect(requestStarted, ({ elapsedMs }) => elapsedMs);
// @ts-expect-error: options are connect's options
app.signals.connect(requestStarted, () => undefined, { dispatchUID: 'audit' });
// @ts-expect-error: a signal is required
app.signals.connect('requestStarted', () => undefined);

// Options at register.
void app.register(signalsPlugin);
void app.register(signalsPlugin, {});
void app.register(signalsPlugin, { startErrors: 'fail', awaitStart: { timeoutMs: 500 } });
void app.register(signalsPlugin, { awaitStart: true });
// @ts-expect-error: startErrors is 'report' or 'fail'
void app.register(signalsPlugin, { startErrors: 'explode' });
// @ts-expect-error: awaitStart is a boolean or { timeoutMs }
void app.register(signalsPlugin, { awaitStart: 500 });
const options: SignalsPluginOptions = { startErrors: 'report' };
void options;
// @ts-expect-error: unknown options are caught at compile time too
void app.register(signalsPlugin, { startErrrors: 'fail' });
