import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { receiverErrors, Signal, settingChanged } from '../lib';
import { functionName } from '../lib/core/checks';
import { isRemoteSender, type RedisBridge } from '../lib/redis';

/** What `GET /cluster` answers: what this instance placed, fulfilled and heard. */
export interface ClusterStatus {
  readonly instanceId: string;
  readonly placed: number;
  /** Orders this instance's member of the `fulfilment` group handled: `orderId@origin`. */
  readonly fulfilled: readonly string[];
  /** Settings changed on other instances, as heard here: `setting=value@origin`. */
  readonly heard: readonly string[];
}

/** The demo's settings object: the sender of its `settingChanged`. */
const settings: Record<string, unknown> = {};

/**
 * The cluster part of the demo: `settingChanged` is broadcast (every instance hears every
 * change), `orderPlaced` goes to the consumer group `fulfilment` (one instance handles each
 * order, at least once, with the delivery id as idempotency key). Routes: `POST /orders`,
 * `POST /settings/:name` (`{ "value": ... }`), `GET /cluster`.
 *
 * @example
 * registerClusterDemo(app, await redisBridge({ url, instanceId: 'demo-1' }));
 */
export function registerClusterDemo(app: FastifyInstance, bridge: RedisBridge): void {
  const orderPlaced = new Signal<{ orderId: string; total: number }, FastifyInstance>('orderPlaced');
  let placed = 0;
  const fulfilled: string[] = [];
  const heard: string[] = [];
  const handledIds = new Set<string>();

  bridge.broadcast(settingChanged);
  const hearing = settingChanged.connect(({ setting, value, sender }) => {
    if (!isRemoteSender(sender)) return;
    heard.push(`${setting}=${JSON.stringify(value)}@${sender.instanceId}`);
    app.log.info({ setting, value, from: sender.instanceId }, 'setting changed on another instance');
  });
  const member = bridge.connect(
    orderPlaced,
    (event) => {
      const delivery = bridge.deliveryOf(event)!;
      if (handledIds.has(delivery.id)) return; // at least once: the id makes a redelivery harmless
      handledIds.add(delivery.id);
      fulfilled.push(`${event.orderId}@${delivery.origin}`);
      app.log.info({ orderId: event.orderId, from: delivery.origin, attempt: delivery.attempt }, 'order fulfilled');
    },
    { group: 'fulfilment', claimIdleMs: 5_000, retryDelayMs: 500 },
  );
  const gaps = bridge.gaps$.subscribe((gap) => app.log.warn(gap, 'bridge: events may have been lost'));
  const errors = bridge.errors$.subscribe(({ kind, signal, error }) =>
    app.log.error({ kind, signal, err: error }, 'bridge: not carried'),
  );
  // The plugin logs the receiver failures of this app's own events (the flaky notifyWebhook's),
  // one line each; those of events from other instances go to the same logger here. Subscribing
  // also spares every report core's console.error fallback (a stack trace each, whatever the
  // log level).
  const failures = receiverErrors.subscribe(({ signal, sender, receiver, error }) => {
    if (!isRemoteSender(sender)) return;
    const name = functionName(receiver);
    app.log.error({ signal: signal.name, receiver: name, from: sender.instanceId, err: error }, `${name} failed`);
  });
  app.addHook('onClose', async () => {
    hearing.unsubscribe();
    member.unsubscribe();
    gaps.unsubscribe();
    errors.unsubscribe();
    failures.unsubscribe();
  });

  app.post('/orders', async (_request, reply) => {
    const orderId = randomUUID().slice(0, 8);
    placed++;
    orderPlaced.send(app, { orderId, total: Math.round(Math.random() * 10_000) / 100 });
    return reply.code(202).send({ orderId });
  });
  app.post<{ Params: { name: string }; Body: { value?: unknown } }>('/settings/:name', async (request) => {
    const { name } = request.params;
    settings[name] = request.body?.value ?? null;
    settingChanged.send(settings, { setting: name, value: settings[name], enter: true });
    return { [name]: settings[name] };
  });
  app.get('/cluster', async (): Promise<ClusterStatus> => ({
    instanceId: bridge.instanceId,
    placed,
    fulfilled,
    heard,
  }));
}
