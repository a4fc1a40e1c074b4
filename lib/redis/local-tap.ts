import type { Signal, SignalArgs } from '../core/signal';
import { isRemoteSender } from './remote-sender';
import type { Publisher, Route } from './publisher';

/**
 * What `bridge.deliveryOf(event)` tells a receiver: an idempotency key and the attempt number.
 *
 * @example
 * bridge.connect(orderPlaced, (event) => {
 *   const { id, attempt }: Delivery = bridge.deliveryOf(event);
 *   return fulfil(event.orderId, { idempotencyKey: id, retry: attempt > 1 });
 * }, { group: 'fulfilment' });
 */
export interface Delivery {
  /** The stream entry id (for Pub/Sub broadcasts: `<epoch>-<seq>` of the origin): the same for every group and attempt. */
  readonly id: string;
  /** The instance that sent the event. */
  readonly origin: string;
  /** 1 on first delivery, then 2, 3, ... on retries and reclaims. */
  readonly attempt: number;
}

/**
 * The bridge's one relay on a signal: every local send goes to the signal's routes (a
 * broadcast, a shared stream) through the outbox; an event whose sender is a RemoteSender is
 * never relayed again. A relay sees an event before any subscriber or receiver, so this is
 * also where an arriving event is tied to its {@link Delivery} before receivers ask for it.
 * @internal
 */
export class LocalTap {
  private readonly routes: Route[] = [];
  private stopRelay: (() => void) | null = null;
  /** The delivery of the remote event being sent right now (set around the local send). */
  private arriving: Delivery | null = null;

  constructor(
    private readonly signal: Signal<SignalArgs, unknown>,
    private readonly publisher: Publisher,
    private readonly deliveries: WeakMap<object, Delivery>,
  ) {}

  get empty(): boolean {
    return this.routes.length === 0;
  }

  add(route: Route): void {
    this.routes.push(route);
    // A relay, not a subscription (half a send cheaper); tap never throws (enqueue and the checks cannot).
    this.stopRelay ??= this.signal.relayEvents((event) => this.tap(event));
  }

  remove(route: Route): void {
    const index = this.routes.indexOf(route);
    if (index >= 0) this.routes.splice(index, 1);
    if (this.routes.length === 0) this.stop();
  }

  stop(): void {
    this.stopRelay?.();
    this.stopRelay = null;
  }

  /** Sends an event that came from another instance to the local receivers (robustly). */
  sendArrived(sender: object, args: object, delivery: Delivery): void {
    const outer = this.arriving;
    this.arriving = delivery;
    try {
      this.signal.sendRobust(sender, args);
    } finally {
      this.arriving = outer;
    }
  }

  private tap(event: { readonly sender: unknown }): void {
    if (isRemoteSender(event.sender)) {
      if (this.arriving !== null) this.deliveries.set(event, this.arriving);
      return;
    }
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) this.publisher.enqueue(routes[i], event);
  }
}
