import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { AppSignals } from './app-signals';
import { resolvePluginOptions, type SignalsPluginOptions } from './plugin-options';
import { logReceiverErrors } from './receiver-error-log';
import { RequestLifecycle } from './request-lifecycle';
import { RequestStreams } from './request-streams';
import { requestStarted } from './signals';
import { instrumentViews } from './template-rendered';
import { keepTickObjectMaps } from './tick-object-maps';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The rx-signals face of this app (present once `signalsPlugin` is registered on it or on
     * an ancestor): its request signals as Observables, per-request streams, and `connect` with
     * receivers that are disconnected when the app closes.
     */
    signals: AppSignals;
  }
}

/**
 * Registers rx-signals on a Fastify app: sends its request lifecycle on the built-in signals
 * (`requestStarted`, `gotRequestException`, `requestFinished` exactly once per started request;
 * sender: this app) and decorates the app with `app.signals`.
 */
async function registerSignals(app: FastifyInstance, options: SignalsPluginOptions): Promise<void> {
  const resolved = resolvePluginOptions(options);
  if (Object.hasOwn(app, 'signals') && app.signals instanceof AppSignals) {
    throw new Error(
      'register(signalsPlugin): rx-signals is already registered in this context, and registering it ' +
        'twice would send every request signal twice. Register it once, at the root or inside the ' +
        'encapsulated plugin whose routes it should see.',
    );
  }

  const lifecycle = new RequestLifecycle(app, resolved);
  const streams = new RequestStreams(app, lifecycle);
  const signals = new AppSignals(app, streams, lifecycle);

  app.decorate('signals', signals);
  app.decorateRequest(lifecycle.key, null);
  app.addHook('onRequest', lifecycle.onRequest);
  app.addHook('onRoute', lifecycle.onRoute);
  app.addHook('onError', lifecycle.onError);

  const stopLogging = logReceiverErrors(app, (report, request) => {
    if (resolved.failOnStartError && report.signal === requestStarted && request !== undefined) {
      lifecycle.stateOf(request)?.recordStartFailure(report.error);
    }
  });
  app.addHook('onClose', async () => {
    lifecycle.stop();
    streams.close();
    signals.close();
    stopLogging();
  });

  instrumentViews(app);
  keepTickObjectMaps(); // see there: a V8 slow path that would otherwise tax every request
}

/**
 * The Fastify plugin of rx-signals. Register it first (before plugins whose `onRequest` hooks
 * answer requests) so that `requestStarted` is the first thing of every request.
 *
 * Registered at the root it sees every route; registered inside an encapsulated plugin it sees
 * only that plugin's routes, with that plugin's instance as sender and `app.signals`.
 *
 * @example
 * import Fastify from 'fastify';
 * import { signalsPlugin, requestFinished } from 'rx-signals';
 *
 * const app = Fastify();
 * await app.register(signalsPlugin);
 * app.signals.connect(requestFinished, ({ request, outcome, elapsedMs }) =>
 *   request.log.info({ outcome, elapsedMs }, 'request finished'));
 */
export const signalsPlugin = fastifyPlugin<SignalsPluginOptions>(registerSignals, {
  name: 'rx-signals',
  fastify: '5.x',
});

export type { SignalsPluginOptions } from './plugin-options';
export type { AppSignals } from './app-signals';
export { StartTimeoutError } from './await-start';
export { StartFailureError } from './start-failure';
