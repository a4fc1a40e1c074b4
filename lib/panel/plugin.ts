import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { gotRequestException, requestFinished, requestStarted } from '../fastify/signals';
import { ClusterView } from './cluster-view';
import { ConnectionWatch } from './connection-watch';
import { listConnections } from './connections';
import { listedSignals, resolvePanelOptions, type PanelSignal, type SignalsPanelOptions } from './options';
import { PageSession } from './page-session';
import { panelPage } from './page';
import { PanelFeed, type ConnectReceiver } from './panel-feed';
import { panelScript } from './panel-script';
import { PANEL_STYLE } from './panel-style';
import { MAX_TIMELINE_REQUESTS, PANEL_PATHS, SLOW_UPDATE_MS } from './protocol';
import { SseClients } from './sse-clients';
import { MAX_TIMELINES_PER_SECOND } from './timelines';

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
  requireSignalsPlugin(app);
  const script = panelScript();
  const report = (error: unknown) =>
    app.log.error({ err: error }, 'signalsPanel: failed to draw the signals (the app is unaffected)');
  const feed = new PanelFeed({
    signals: () => listedSignals(options),
    connect: connectorFor(app),
    prefix: options.prefix,
    maxRoutes: options.maxRoutes,
    statsWindowMs: options.statsWindowMs,
    report,
  });
  for (const key of feed.marks.keys) app.decorateRequest(key, null);
  // A cluster wants this instance's figures whether or not a page is open here.
  const cluster =
    options.bridge === undefined
      ? null
      : new ClusterView(options.bridge, () => feed.figures, options.clusterIntervalMs, report);
  const releaseForCluster = cluster === null ? null : feed.acquire('figures');
  cluster?.start();

  let session: PageSession | null = null;
  let timer: NodeJS.Timeout | null = null;
  const clients = new SseClients(options.maxClients, () => {
    // The last page went away: stop listening, so an unwatched panel costs nothing.
    if (timer !== null) clearInterval(timer);
    timer = null;
    session?.close();
    session = null;
  });
  const listed = options.signals === undefined ? null : new Set<object>(options.signals);
  const watch = new ConnectionWatch({
    watches: (signal) => listed === null || listed.has(signal),
    relay: feed.receiver,
    own: feed.receiver,
    changed: () => {
      const message = session?.connectionsUpdate() ?? '';
      if (message !== '') clients.broadcast(message);
    },
    report,
  });
  const own = new Set([feed.receiver, watch.receiver]);
  const tick = () => {
    try {
      if (session !== null) clients.broadcast(session.update(SLOW_UPDATE_MS));
    } catch (error) {
      report(error); // a timer that throws would take the process down
    }
  };
  let closing = false;

  app.addHook('preClose', async () => {
    // Open event streams would keep app.close() waiting forever: end them first.
    closing = true;
    cluster?.stop();
    releaseForCluster?.();
    await clients.closeAll();
  });

  await app.register(
    async (routes) => {
      // The full prefix, also when the panel is registered inside a prefixed plugin.
      const base = routes.prefix;
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

      routes.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(panelPage(base)));
      routes.get(PANEL_PATHS.script, async (_request, reply) =>
        reply.type('text/javascript; charset=utf-8').send(script),
      );
      routes.get(PANEL_PATHS.style, async (_request, reply) => reply.type('text/css; charset=utf-8').send(PANEL_STYLE));
      routes.get(PANEL_PATHS.signals, async () => ({
        signals: listConnections(listedSignals(options), app, own),
      }));
      routes.get<{ Params: { number: string } }>(`${PANEL_PATHS.requests}/:number`, async (request, reply) => {
        const number = Number(request.params.number);
        const timeline = Number.isSafeInteger(number) ? session?.timeline(number) : undefined;
        if (timeline !== undefined) return timeline;
        return reply.code(404).send({
          error:
            session === null
              ? 'No timeline: the panel records them only while a page is open.'
              : `No timeline for this request: only the latest ${options.timelineRequests} requests since the page opened have one ` +
                `(timelineRequests, at most ${MAX_TIMELINE_REQUESTS}), and at most ${MAX_TIMELINES_PER_SECOND} new ones a second.`,
        });
      });
      // No HEAD twin: a HEAD request must not count as a viewer.
      routes.get(PANEL_PATHS.events, { exposeHeadRoute: false }, (_request, reply) => {
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
          session ??= new PageSession(feed, options, app, cluster, watch);
          timer ??= setInterval(tick, options.updateIntervalMs).unref();
          clients.open(reply, session.welcome());
        }
      });
    },
    { prefix: options.prefix, ...options.routeOptions },
  );
};

/** Throws unless `signalsPlugin` decorated the app with `app.signals`. */
function requireSignalsPlugin(app: FastifyInstance): void {
  if (typeof (app as { signals?: { connect?: unknown } }).signals?.connect !== 'function') {
    throw new TypeError(
      'signalsPanel: the app has no app.signals. Register signalsPlugin before signalsPanel, e.g. ' +
        'await app.register(signalsPlugin); await app.register(signalsPanel);',
    );
  }
}

/** Request signals through `app.signals.connect` (this app's requests only); the others for every sender. */
function connectorFor(app: FastifyInstance): ConnectReceiver {
  return (signal: PanelSignal, receiver) => {
    if (signal === requestStarted) return app.signals.connect(requestStarted, receiver);
    if (signal === gotRequestException) return app.signals.connect(gotRequestException, receiver);
    if (signal === requestFinished) return app.signals.connect(requestFinished, receiver);
    return signal.connect(receiver);
  };
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
