import type { FastifyInstance } from 'fastify';
import { BehaviorSubject, Subscription, auditTime, filter } from 'rxjs';
import {
  gotRequestException,
  requestFinished,
  rollingRequestStats,
  slowerThan,
  summarizeRequest,
  summarizeRequests,
} from '../lib';
import type { DemoDatabase } from './database';

/**
 * Options of {@link connectDemoReceivers}.
 *
 * @example
 * connectDemoReceivers(app, db, { slowThresholdMs: 500, statsWindowMs: 10_000, statsLogEveryMs: 5_000, errorRateAlert: 0.25 });
 */
export interface DemoReceiverOptions {
  /** Requests slower than this are logged as warnings. */
  slowThresholdMs: number;
  /** Window of the rolling error rate, in milliseconds. */
  statsWindowMs: number;
  /** How often the rolling error rate is logged at most, in milliseconds. */
  statsLogEveryMs: number;
  /** Above this error rate the rolling figures are logged as an error. */
  errorRateAlert: number;
}

/**
 * What {@link connectDemoReceivers} connected.
 *
 * @example
 * const { cleanupPaused$, subscription } = connectDemoReceivers(app, db, options);
 * subscription.unsubscribe(); // all of them disconnected
 */
export interface DemoReceivers {
  /** Push `true` to pause the database's `closeStaleConnections` receiver (it keeps its place). */
  readonly cleanupPaused$: BehaviorSubject<boolean>;
  /** Disconnects every demo receiver (app.close() does it too). */
  readonly subscription: Subscription;
}

/**
 * Connects the demo's receivers, each built from the rx-signals operators:
 * - `accessLog`: one structured log line per request (`summarizeRequest`).
 * - `errorLog`: the error of every `gotRequestException`, with the request's method and route.
 * - `slowRequestAlert`: a warning for requests over the threshold (`slowerThan` in its pipe),
 *   leaving out the panel's own long-lived event stream.
 * - the rolling error rate: `summarizeRequests` → `rollingRequestStats` → `auditTime`.
 * - `closeStaleConnections` of the demo database on `requestStarted`/`requestFinished`,
 *   pausable through `cleanupPaused$`.
 *
 * @example
 * const { cleanupPaused$ } = connectDemoReceivers(app, db, {
 *   slowThresholdMs: 500, statsWindowMs: 10_000, statsLogEveryMs: 5_000, errorRateAlert: 0.25,
 * });
 * cleanupPaused$.next(true); // the panel shows closeStaleConnections as paused
 */
export function connectDemoReceivers(
  app: FastifyInstance,
  db: DemoDatabase,
  options: DemoReceiverOptions,
): DemoReceivers {
  const subscription = new Subscription();

  subscription.add(
    app.signals.connect(requestFinished, function accessLog(event) {
      app.log.info({ request: summarizeRequest(event) }, 'request finished');
    }),
  );

  subscription.add(
    app.signals.connect(gotRequestException, function errorLog({ request, error }) {
      request.log.error(
        { err: error, method: request.method, route: request.routeOptions.url },
        'request raised an error',
      );
    }),
  );

  subscription.add(
    app.signals.connect(
      requestFinished,
      function slowRequestAlert(event) {
        app.log.warn({ request: summarizeRequest(event), thresholdMs: options.slowThresholdMs }, 'slow request');
      },
      // The panel's event stream stays open as long as a page watches: not a slow request.
      {
        pipe: [
          filter(({ request }) => !request.routeOptions.url?.startsWith('/_signals')),
          slowerThan(options.slowThresholdMs),
        ],
      },
    ),
  );

  subscription.add(
    app.signals.requestFinished$
      .pipe(
        summarizeRequests(),
        rollingRequestStats({ windowMs: options.statsWindowMs }),
        auditTime(options.statsLogEveryMs),
      )
      .subscribe((stats) => {
        const figures = { perSecond: stats.perSecond, errorRate: stats.errorRate, requests: stats.requests };
        if (stats.errorRate > options.errorRateAlert) app.log.error(figures, 'rolling error rate above alert level');
        else app.log.info(figures, 'rolling error rate');
      }),
  );

  const cleanupPaused$ = new BehaviorSubject(false);
  subscription.add(db.connectToRequestSignals(app, { paused$: cleanupPaused$ }));
  app.addHook('onClose', async () => subscription.unsubscribe());
  return { cleanupPaused$, subscription };
}
