import type { Subscription } from 'rxjs';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  type RequestLifecycleEvent,
  type RequestOutcome,
} from '../../../lib/fastify/signals';
import type { AppSignals } from '../../../lib/fastify/app-signals';

/**
 * One request event as the tests compare it.
 *
 * @example
 * const [started, finished] = log.events; // finished.outcome === 'completed'
 */
export interface LoggedEvent {
  readonly signal: 'requestStarted' | 'gotRequestException' | 'requestFinished';
  /** Fastify's request id. */
  readonly id: string;
  readonly url: string;
  readonly outcome?: RequestOutcome;
  readonly elapsedMs?: number;
  readonly error?: Error;
  readonly sender: unknown;
  readonly event: RequestLifecycleEvent;
}

/**
 * Records every request event an app sends (through `app.signals.connect`, so it is disconnected
 * when the app closes), and lets a test wait for a condition on them: a promise resolved by the
 * events themselves, never by a sleep.
 *
 * @example
 * const log = new LifecycleLog(app);
 * await app.inject('/');
 * expect(log.of(id)).toEqual(['requestStarted', 'requestFinished:completed']);
 */
export class LifecycleLog {
  readonly events: LoggedEvent[] = [];
  readonly subscription: Subscription;
  private waiters: Array<() => void> = [];

  constructor(app: { readonly signals: AppSignals }) {
    const record = (event: RequestLifecycleEvent) => {
      const { request } = event;
      this.events.push({
        signal: event.signal.name as LoggedEvent['signal'],
        id: request.id,
        url: request.url,
        outcome: 'outcome' in event ? event.outcome : undefined,
        elapsedMs: 'elapsedMs' in event ? event.elapsedMs : undefined,
        error: 'error' in event ? event.error : undefined,
        sender: event.sender,
        event,
      });
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    };
    this.subscription = app.signals.connect(requestStarted, record);
    this.subscription.add(app.signals.connect(gotRequestException, record));
    this.subscription.add(app.signals.connect(requestFinished, record));
  }

  /** The events of requests whose URL is `url`, as `signal` or `signal:outcome` strings. */
  of(url: string): string[] {
    return this.events.filter((event) => event.url === url).map(describeEvent);
  }

  /** Every event, as `url signal[:outcome]` strings. */
  all(): string[] {
    return this.events.map((event) => `${event.url} ${describeEvent(event)}`);
  }

  finishes(): LoggedEvent[] {
    return this.events.filter((event) => event.signal === 'requestFinished');
  }

  /** Resolves once `condition()` holds, re-checked at every recorded event. */
  async until(condition: () => boolean, what = String(condition)): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!condition()) {
      if (Date.now() > deadline)
        throw new Error(`LifecycleLog.until: still waiting for ${what}; saw ${this.all().join(', ')}`);
      // Woken by the next event; the timer is only a safety net so a missing event fails clearly.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until a request to `url` has finished. */
  async finished(url: string, count = 1): Promise<void> {
    await this.until(
      () => this.finishes().filter((event) => event.url === url).length >= count,
      `${count} requestFinished of ${url}`,
    );
  }
}

function describeEvent(event: LoggedEvent): string {
  return event.outcome ? `${event.signal}:${event.outcome}` : event.signal;
}
