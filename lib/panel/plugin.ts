import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { resolvePanelOptions, type SignalsPanelOptions } from './options';
import { PANEL_SCRIPT } from './panel-script';
import { PANEL_STYLE } from './panel-style';
import { PanelFeed, type AppRequestStreams } from './panel-feed';
import { panelPage } from './page';
import { receiversSnapshot } from './receivers-snapshot';
import { SseClients } from './sse-clients';

/** Headers of every panel response: nothing from elsewhere may run, frame or cache it. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

const panel: FastifyPluginAsync<SignalsPanelOptions> = async (app, rawOptions) => {
  const options = resolvePanelOptions(rawOptions);
  const streams = requestStreamsOf(app);
  const feed = new PanelFeed(app, streams, options, (error) =>
    app.log.error({ err: error }, 'signalsPanel: failed to draw a signal event (the app is unaffected)'),
  );
  let timer: NodeJS.Timeout | null = null;
  const clients = new SseClients(options.maxClients, () => {
    // The last page went away: stop listening, so an unwatched panel costs nothing.
    if (timer !== null) clearInterval(timer);
    timer = null;
    feed.stop();
  });
  let closing = false;

  app.addHook('preClose', async () => {
    // Open event streams would keep app.close() waiting forever: end them first.
    closing = true;
    await clients.closeAll();
    feed.stop();
  });

  await app.register(
    async (routes) => {
      const guard = options.onRequest;
      if (guard) {
        // Wrapped, so a guard may be sync or async alike (a bare sync hook would have to call done).
        routes.addHook('onRequest', async (request, reply) => {
          const result = guard(request, reply);
          if (result !== reply) await result; // awaiting a sent reply would wait for the response itself
        });
      }
      routes.addHook('onSend', async (_request, reply, payload) => {
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
          if (!reply.hasHeader(name)) reply.header(name, value);
        }
        return payload;
      });

      routes.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(panelPage(options.prefix)));
      routes.get('/panel.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(PANEL_SCRIPT));
      routes.get('/panel.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(PANEL_STYLE));
      routes.get('/signals.json', async () => ({ signals: receiversSnapshot(options.signals, app) }));
      // No HEAD twin: a HEAD request must not count as a viewer.
      routes.get('/events', { exposeHeadRoute: false }, (_request, reply) => {
        if (closing) {
          reply.code(503).send({ error: 'The app is closing.' });
        } else if (clients.full) {
          reply
            .code(503)
            .header('retry-after', '10')
            .send({
              error: `The signals panel already has ${options.maxClients} viewers (maxClients). Close a tab or raise maxClients.`,
            });
        } else {
          feed.start();
          timer ??= setInterval(() => clients.broadcast(feed.takeUpdate()), options.updateIntervalMs).unref();
          clients.open(reply, feed.welcome());
        }
      });
    },
    { prefix: options.prefix },
  );
};

/** The request streams of `app`, which `signalsPlugin` decorates it with. */
function requestStreamsOf(app: FastifyInstance): AppRequestStreams {
  const streams = (app as FastifyInstance & { signals?: Partial<AppRequestStreams> }).signals;
  if (
    typeof streams?.requestStarted$?.subscribe !== 'function' ||
    typeof streams.gotRequestException$?.subscribe !== 'function' ||
    typeof streams.requestFinished$?.subscribe !== 'function'
  ) {
    throw new TypeError(
      'signalsPanel: the app has no app.signals. Register signalsPlugin before signalsPanel, e.g. ' +
        'await app.register(signalsPlugin); await app.register(signalsPanel);',
    );
  }
  return streams as AppRequestStreams;
}

/**
 * A live page of the app's signals, at `prefix` (default `/_signals`): every signal with its
 * receivers (name, sender filter, paused or not), a lane per signal with a dot per event, a
 * per-route latency chart, throughput and error rate, and the latest requests — fed over
 * Server-Sent Events at `<prefix>/events`.
 *
 * Opt-in: nothing is served unless you register it, and it listens to the signals only while a
 * page is open. It shows method, route pattern, status, outcome and timing only: never headers,
 * bodies, URLs or query strings. Anyone who can reach it sees your routes and receivers, so
 * protect it with the `onRequest` option (or do not register it in production). Needs
 * `signalsPlugin` registered first.
 *
 * @example
 * await app.register(signalsPlugin);
 * await app.register(signalsPanel, {
 *   prefix: '/_signals',
 *   onRequest: async (request, reply) => {
 *     if (request.headers.authorization !== `Bearer ${process.env.PANEL_TOKEN}`) {
 *       return reply.code(401).send({ error: 'unauthorized' });
 *     }
 *   },
 * });
 * // open http://127.0.0.1:3000/_signals
 */
export const signalsPanel = fp(panel, { name: 'rx-signals-panel', fastify: '5.x' });
