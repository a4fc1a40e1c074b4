import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { requestFinished, requestStarted, signalsPanel, signalsPlugin } from '../../lib';
import type { CountsReply, ServerVariant } from './protocol';

/**
 * A bench server's app, and the counters its receivers keep (empty when it has none).
 *
 * @example
 * const { app, counts }: BenchApp = await buildBenchApp('plugin-busy');
 */
export interface BenchApp {
  readonly app: FastifyInstance;
  readonly counts: () => CountsReply;
}

/**
 * What the printed tables call each server.
 *
 * @example
 * VARIANT_LABELS.hooks; // 'Fastify + two no-op hooks'
 */
export const VARIANT_LABELS: Readonly<Record<ServerVariant, string>> = {
  plain: 'plain Fastify',
  hooks: 'Fastify + two no-op hooks',
  'plugin-idle': 'signalsPlugin, no receivers',
  'plugin-busy': 'signalsPlugin, 3 receivers on start and finish',
  'panel-open': 'the same, with signalsPanel and one page open',
  soak: 'signalsPlugin, soak server',
};

/**
 * How many receivers the busy variant connects to `requestStarted` and to `requestFinished`.
 *
 * @example
 * expectedCalls = BUSY_RECEIVERS * responses;
 */
export const BUSY_RECEIVERS = 3;

/**
 * The event stream of the `panel-open` server's panel: the bench keeps one open (one viewer).
 *
 * @example
 * http.get(server.url + PANEL_EVENTS_PATH, (response) => response.resume());
 */
export const PANEL_EVENTS_PATH = '/_signals/events';

/** The hello-world route of every variant: the smallest real work a server does per request. */
function helloWorld(_request: FastifyRequest, reply: FastifyReply): void {
  reply.send({ hello: 'world' });
}

/**
 * Builds the app of one bench server. Every variant serves the same hello-world route at `/`
 * with Fastify's logger off; they differ only in what runs around it:
 * - `plain`: nothing;
 * - `hooks`: two no-op callback hooks, `onRequest` and `onResponse` (the least a plugin that sees
 *   the start and the end of every request can cost: the reference of docs/benchmarks.md);
 * - `plugin-idle`: `signalsPlugin`, nobody listening;
 * - `plugin-busy`: `signalsPlugin` with 3 receivers on `requestStarted` and 3 on `requestFinished`,
 *   each counting its calls (the counts prove they ran);
 * - `panel-open`: `plugin-busy` plus `signalsPanel`; the bench opens one page's event stream
 *   (`PANEL_EVENTS_PATH`) for the whole run, so the panel watches every request;
 * - `soak`: see {@link buildSoakApp}.
 *
 * @example
 * const { app } = await buildBenchApp('hooks');
 * await app.listen({ host: '127.0.0.1', port: 0 });
 */
export async function buildBenchApp(variant: ServerVariant): Promise<BenchApp> {
  if (variant === 'soak') return buildSoakApp();
  const app = Fastify({ logger: false });
  const calls = { started: 0, finished: 0 };
  switch (variant) {
    case 'plain':
      break;
    case 'hooks':
      app.addHook('onRequest', (_request, _reply, done) => done());
      app.addHook('onResponse', (_request, _reply, done) => done());
      break;
    case 'plugin-idle':
      await app.register(signalsPlugin);
      break;
    case 'plugin-busy':
    case 'panel-open':
      await app.register(signalsPlugin);
      if (variant === 'panel-open') await app.register(signalsPanel);
      for (let index = 0; index < BUSY_RECEIVERS; index++) {
        app.signals.connect(requestStarted, () => {
          calls.started++;
        });
        app.signals.connect(requestFinished, () => {
          calls.finished++;
        });
      }
      break;
    default:
      throw new TypeError(`bench server: unknown variant ${JSON.stringify(variant)}.`);
  }
  app.get('/', helloWorld);
  return { app, counts: () => ({ ...calls }) };
}

/**
 * The paths the soak requests in turn, and the status each must answer.
 *
 * @example
 * await loadServer(url, { connections: 50, amount: 120_000, paths: Object.keys(SOAK_PATHS) });
 */
export const SOAK_PATHS: Readonly<Record<string, number>> = {
  '/': 200,
  '/watched': 200,
  '/fail': 500,
  '/missing': 404,
};

/**
 * The soak server: `signalsPlugin` with receivers counting every `requestStarted`, every
 * `gotRequestException` and every `requestFinished` by outcome, and routes that take the
 * plugin's main paths: a plain reply (`/`), a reply whose handler follows its own request
 * through `app.signals.eventsOf(request)` (`/watched`), a handler that throws (`/fail`, a 500
 * and an `errored` finish) and an unknown route (`/missing`, a 404).
 *
 * @example
 * const { app, counts } = await buildSoakApp();
 * counts(); // { started: 0, finished: 0, completed: 0, errored: 0, ... }
 */
export async function buildSoakApp(): Promise<BenchApp> {
  const app = Fastify({ logger: false });
  await app.register(signalsPlugin);
  const counts = {
    started: 0,
    finished: 0,
    completed: 0,
    errored: 0,
    aborted: 0,
    timeout: 0,
    exceptions: 0,
    watched: 0,
    watchedCompleted: 0,
  };
  app.signals.connect(requestStarted, () => {
    counts.started++;
  });
  app.signals.connect(requestFinished, ({ outcome }) => {
    counts.finished++;
    counts[outcome]++;
  });
  app.signals.gotRequestException$.subscribe(() => {
    counts.exceptions++;
  });
  app.get('/', helloWorld);
  app.get('/watched', (request, reply) => {
    counts.watched++;
    app.signals.eventsOf(request).subscribe({
      complete: () => {
        counts.watchedCompleted++;
      },
    });
    reply.send({ hello: 'watched' });
  });
  app.get('/fail', () => {
    throw new Error('soak: this route always fails');
  });
  return { app, counts: () => ({ ...counts }) };
}
