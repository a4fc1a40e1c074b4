import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { signalsPanel, signalsPlugin } from '../lib';
import type { RedisBridge } from '../lib/redis';
import { registerClusterDemo } from './cluster-demo';
import { DemoDatabase } from './database';
import { connectDemoReceivers, type DemoReceivers } from './receivers';
import { registerDemoRoutes } from './routes';
import { connectSlowReceivers } from './slow-receivers';
import { registerUserPages } from './users';
import { driveTraffic, type Traffic } from './traffic';

/**
 * Options of {@link buildDemoApp}; every one has a default.
 *
 * @example
 * const { app } = await buildDemoApp({ logger: false, slowMs: 50 });
 */
export interface DemoOptions {
  /** Fastify's logger option. Default: JSON lines on stdout at level info. */
  logger?: FastifyServerOptions['logger'];
  /** How long `/slow` takes. Default 800 ms. */
  slowMs?: number;
  /** Requests slower than this are logged as warnings. Default 500 ms. */
  slowThresholdMs?: number;
  /** Gap between the chunks of `/stream`. Default 150 ms. */
  chunkGapMs?: number;
  /** How often the rolling error rate is logged at most. Default 5000 ms. */
  statsLogEveryMs?: number;
  /** How often the panel's pages get new events. Default 250 ms. */
  panelUpdateIntervalMs?: number;
  /** How long the fake audit log takes on some routes (the panel's slowest receiver). Default 30 ms. */
  auditMs?: number;
  /** Cluster mode: the instance's Redis bridge (the panel lists every instance; see ./cluster-demo.ts). */
  bridge?: RedisBridge;
}

/**
 * The demo app and what it connected.
 *
 * @example
 * const { app, db, receivers } = await buildDemoApp();
 * receivers.cleanupPaused$.next(true);
 */
export interface DemoApp {
  readonly app: FastifyInstance;
  readonly db: DemoDatabase;
  readonly receivers: DemoReceivers;
}

/**
 * Builds the demo: a Fastify app with ok, slow, failing and streaming routes, `signalsPlugin`,
 * the signals panel at `/_signals`, receivers built from the operators (access log, error log,
 * slow-request alert, rolling error rate, the demo database's `closeStaleConnections`), a
 * slow audit log and a flaky webhook for the panel to point at, and the user pages over the
 * SQLite database (`GET /users` renders a template, `POST /users` redirects).
 * `POST /cleanup/pause` and `POST /cleanup/resume` pause and resume the database receiver, to
 * watch the panel mark it paused. Not listening yet: see {@link startDemo}.
 *
 * @example
 * const { app } = await buildDemoApp({ logger: false });
 * await app.inject('/ok');
 */
export async function buildDemoApp(options: DemoOptions = {}): Promise<DemoApp> {
  const {
    logger = { level: 'info' },
    slowMs = 800,
    slowThresholdMs = 500,
    chunkGapMs = 150,
    statsLogEveryMs = 5000,
    panelUpdateIntervalMs = 250,
    auditMs = 30,
    bridge,
  } = options;
  // The demo's receivers (access log, error log) replace Fastify's own request logging.
  const app = Fastify({ logger, logController: new LogController({ disableRequestLogging: true }) });
  try {
    return await setUpDemo(
      app,
      { slowMs, slowThresholdMs, chunkGapMs, statsLogEveryMs, panelUpdateIntervalMs, auditMs },
      bridge,
    );
  } catch (error) {
    await app.close(); // a half-built app must not keep the process alive
    throw error;
  }
}

async function setUpDemo(
  app: FastifyInstance,
  options: Required<Omit<DemoOptions, 'logger' | 'bridge'>>,
  bridge: RedisBridge | undefined,
): Promise<DemoApp> {
  await app.register(signalsPlugin);
  await app.register(signalsPanel, { prefix: '/_signals', updateIntervalMs: options.panelUpdateIntervalMs, bridge });
  if (bridge !== undefined) registerClusterDemo(app, bridge);

  const db = new DemoDatabase();
  app.addHook('onClose', async () => db.destroy());
  const receivers = connectDemoReceivers(app, db, {
    slowThresholdMs: options.slowThresholdMs,
    statsWindowMs: 10_000,
    statsLogEveryMs: options.statsLogEveryMs,
    errorRateAlert: 0.25,
  });
  connectSlowReceivers(app, { auditMs: options.auditMs });
  registerDemoRoutes(app, db, { slowMs: options.slowMs, chunkGapMs: options.chunkGapMs });
  await registerUserPages(app, db);
  app.post('/cleanup/pause', async () => {
    receivers.cleanupPaused$.next(true);
    return { closeStaleConnections: 'paused' };
  });
  app.post('/cleanup/resume', async () => {
    receivers.cleanupPaused$.next(false);
    return { closeStaleConnections: 'live' };
  });
  return { app, db, receivers };
}

/**
 * A demo that listens, with its own traffic when asked.
 *
 * @example
 * const demo = await startDemo({ port: 0, traffic: false });
 * await fetch(demo.panelUrl);
 * await demo.close();
 */
export interface RunningDemo extends DemoApp {
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The panel's page. */
  readonly panelUrl: string;
  /** Its own traffic, or null when turned off. */
  readonly traffic: Traffic | null;
  /** Stops the traffic and closes the app. */
  close(): Promise<void>;
}

/**
 * Builds the demo and listens on 127.0.0.1:`port` (0 picks a free port), sending itself light
 * traffic every `trafficIntervalMs` unless `traffic` is false.
 *
 * @example
 * const demo = await startDemo({ port: 3000, traffic: true });
 * console.log(demo.panelUrl); // http://127.0.0.1:3000/_signals
 * await demo.close();
 */
export async function startDemo(
  options: DemoOptions & { port?: number; traffic?: boolean; trafficIntervalMs?: number } = {},
): Promise<RunningDemo> {
  const { port = 3000, traffic = true, trafficIntervalMs = 400, ...demoOptions } = options;
  const demo = await buildDemoApp(demoOptions);
  try {
    await demo.app.listen({ host: '127.0.0.1', port });
  } catch (error) {
    await demo.app.close(); // e.g. the port is taken: leave nothing running behind the error
    throw error;
  }
  const address = demo.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  const ownTraffic = traffic ? driveTraffic(url, trafficIntervalMs) : null;
  return {
    ...demo,
    url,
    panelUrl: `${url}/_signals`,
    traffic: ownTraffic,
    async close() {
      await ownTraffic?.stop();
      await demo.app.close();
    },
  };
}
