import { Observable, Subject } from 'rxjs';
import { describeValue } from '../core/checks';

/**
 * A possible loss the bridge saw. `lost` is the exact number when it is known: a `sequence` gap
 * counts the events of one origin that never arrived; `reconnect` and `trimmed` say where a loss
 * may have happened (the sequence gaps that follow carry the counts).
 *
 * @example
 * bridge.gaps$.subscribe((gap: BridgeGap) => log.warn(gap, 'events may have been lost'));
 */
export interface BridgeGap {
  readonly reason: 'reconnect' | 'sequence' | 'outbox-overflow' | 'trimmed' | 'group-lost';
  /** The signal's name. */
  readonly signal?: string;
  /** The instance whose events were lost (sequence gaps), or this one (outbox overflow). */
  readonly origin?: string;
  /** How many events were lost, when known. */
  readonly lost?: number;
  /** The consumer group concerned (`group-lost`, `trimmed` of a group's entries). */
  readonly group?: string;
}

/**
 * Something the bridge could not carry, or could not read, reported instead of thrown.
 *
 * @example
 * bridge.errors$.subscribe((error: BridgeError) => log.error(error, `redis bridge: ${error.kind}`));
 */
export interface BridgeError {
  readonly kind: 'encode' | 'payload-too-large' | 'malformed' | 'decode' | 'dead-letter' | 'redis';
  /** The signal's name (or the channel or stream key, for a message that names no known signal). */
  readonly signal?: string;
  /** The instance the message came from, when it says. */
  readonly origin?: string;
  readonly error?: unknown;
  /** For dead letters: the stream entry id, the group, and how many attempts were made. */
  readonly id?: string;
  readonly group?: string;
  readonly attempts?: number;
}

/** The bridge's `gaps$` and `errors$`; an error nobody subscribed to goes to `console.error`. */
export class Reports {
  private readonly gapSubject = new Subject<BridgeGap>();
  private readonly errorSubject = new Subject<BridgeError>();
  readonly gaps$: Observable<BridgeGap> = this.gapSubject.asObservable();
  readonly errors$: Observable<BridgeError> = this.errorSubject.asObservable();

  constructor(private readonly instanceId: string) {}

  gap(gap: BridgeGap): void {
    this.gapSubject.next(gap);
  }

  error(error: BridgeError): void {
    if (this.errorSubject.observed) {
      this.errorSubject.next(error);
      return;
    }
    console.error(
      `rx-signals/redis [${this.instanceId}]: ${error.kind}${error.signal === undefined ? '' : ` (${error.signal})`}` +
        ' (subscribe to bridge.errors$ to handle these reports):',
      error.error === undefined ? '' : safeText(error.error),
    );
  }

  complete(): void {
    this.gapSubject.complete();
    this.errorSubject.complete();
  }
}

/** A thrown value as text for a log line or a dead letter: never throws, whatever the value is. */
export function safeText(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    const message = messageOf(value);
    if (message !== undefined) {
      const name = (value as { name?: unknown }).name;
      return typeof name === 'string' && name !== '' ? `${name}: ${message}` : message;
    }
  } catch {
    // a hostile error (throwing getters): describe it by its type below
  }
  return describeValue(value);
}

/** The `message` of an error (of any realm), or undefined. Never throws. */
export function messageOf(error: unknown): string | undefined {
  try {
    const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
