import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Subscription } from 'rxjs';
import { requestFinished } from '../lib';

/** The routes whose requests the audit log writes down slowly. */
const AUDITED_ROUTES: ReadonlySet<string> = new Set(['/items/:id', '/slow']);

/**
 * The receivers that give the panel something to point at, the way a newcomer's app would:
 * - `auditLog`: a fake audit log that awaits `auditMs` (a slow write) for `/items/:id` and
 *   `/slow`, so the panel's receivers table ranks it first within seconds;
 * - `notifyWebhook`: a flaky webhook call that fails every fourth time, so the panel's receiver
 *   errors list fills up.
 * Both on `requestFinished` of `app`, disconnected by `app.close()`.
 *
 * @example
 * connectSlowReceivers(app, { auditMs: 30 });
 * // open /_signals: auditLog tops the receivers table, notifyWebhook's errors are listed
 */
export function connectSlowReceivers(app: FastifyInstance, options: { auditMs: number }): Subscription {
  const subscription = app.signals.connect(requestFinished, async function auditLog({ request }) {
    if (AUDITED_ROUTES.has(request.routeOptions.url ?? '')) await sleep(options.auditMs);
  });
  let calls = 0;
  subscription.add(
    app.signals.connect(requestFinished, function notifyWebhook() {
      if (++calls % 4 === 0) throw new Error('webhook endpoint answered 503 Service Unavailable');
    }),
  );
  return subscription;
}
