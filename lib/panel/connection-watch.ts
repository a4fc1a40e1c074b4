import type { Subscription } from 'rxjs';
import { receiverConnected, receiverDisconnected } from '../core/meta-signals';
import { receiver } from '../core/receiver';
import { PANEL_RECEIVER_NAME } from './panel-feed';

/**
 * Pages get a changed connection list at most this often: an app that connects and disconnects
 * per request would otherwise have the list rebuilt and sent twice per request.
 */
export const CONNECTIONS_REFRESH_MS = 100;

/**
 * Tells the page session when a connection of a listed signal was made or ended, from the
 * meta-signals `receiverConnected` and `receiverDisconnected` (never by polling), and only
 * between `start()` and `stop()`: while no page is open nothing listens to them, so connecting
 * costs the app nothing for the panel. Changes are coalesced: `changed()` runs soon after the
 * first one (on a timer of its own, never inside the connect call that caused it), then at most
 * once per {@link CONNECTIONS_REFRESH_MS}. The meta-signals' events themselves go to `relay`
 * (the feed's lanes) when they are listed, except those about the panel's own receiver.
 *
 * @example
 * const watch = new ConnectionWatch({ watches: () => true, relay: feed.receiver, own: feed.receiver, changed, report });
 * watch.start(); // ... watch.stop();
 * @internal
 */
export class ConnectionWatch {
  /** Its receiver on both meta-signals: one of the panel's own, named like the feed's. */
  readonly receiver: (event: { signal: object; sender: object; receiver: Function | undefined }) => void;
  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastChange = -Infinity;

  constructor(
    private readonly options: {
      /** True for a signal the panel lists. */
      readonly watches: (signal: object) => boolean;
      readonly relay: (event: object) => void;
      /** The receiver whose own connections are not relayed as events. */
      readonly own: Function;
      readonly changed: () => void;
      readonly report: (error: unknown) => void;
    },
  ) {
    const watch = this;
    this.receiver = function panelConnectionWatch(event): void {
      try {
        watch.noticed(event);
      } catch (error) {
        watch.options.report(error); // never throw into a send
      }
    };
    Object.defineProperty(this.receiver, 'name', { value: PANEL_RECEIVER_NAME });
  }

  start(): void {
    this.subscription ??= receiver([receiverConnected, receiverDisconnected], this.receiver);
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private noticed(event: { signal: object; sender: object; receiver: Function | undefined }): void {
    const { watches } = this.options;
    if (!watches(event.sender)) return;
    if (event.receiver !== this.options.own && watches(event.signal)) this.options.relay(event);
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastChange + CONNECTIONS_REFRESH_MS - performance.now());
    this.timer = setTimeout(() => this.flush(), wait).unref();
  }

  private flush(): void {
    this.timer = null;
    this.lastChange = performance.now();
    try {
      this.options.changed();
    } catch (error) {
      this.options.report(error); // a timer that throws would take the process down
    }
  }
}
