import type { Subscriber, Subscription } from 'rxjs';

/** Cleans up weak connections whose receiver was garbage-collected. */
const weakConnections = new FinalizationRegistry<{ end(): void }>((connection) => connection.end());

/**
 * One receiver connected to one signal: how to reach the receiver (strongly or through a
 * `WeakRef`), which sender it listens to, its place in connection order, and its Subscription.
 * @internal
 */
export class Connection<E> {
  /** True once disconnected: a send in progress skips it from then on. */
  closed = false;
  /** What `connect` returned; unsubscribing it ends the connection. */
  subscription!: Subscription;
  /** The head of the connection's operator chain when it has `options.pipe`, else null. */
  inlet: Subscriber<E> | null = null;
  private readonly strong: ((event: E) => unknown) | undefined;
  private readonly weak: WeakRef<(event: E) => unknown> | undefined;

  constructor(
    /** Position in connection order (per signal, increasing). */
    readonly seq: number,
    receiver: (event: E) => unknown,
    weak: boolean,
    /** The dispatch uid, or null when the receiver itself is the key. */
    readonly uid: string | symbol | null,
    /** True when bound to one sender. */
    readonly bound: boolean,
    readonly sender: unknown,
    /** The operators of `options.pipe` (empty without). */
    readonly operators: readonly Function[],
    /** Removes the connection from its signal; called once, by `end()`. */
    private readonly detach: (connection: Connection<E>) => void,
  ) {
    if (weak) {
      this.strong = undefined;
      this.weak = new WeakRef(receiver);
      weakConnections.register(receiver, this, this);
    } else {
      this.strong = receiver;
      this.weak = undefined;
    }
  }

  get isWeak(): boolean {
    return this.weak !== undefined;
  }

  /** The receiver, or undefined once a weak receiver was garbage-collected. */
  get receiver(): ((event: E) => unknown) | undefined {
    return this.strong ?? this.weak?.deref();
  }

  /** True when `connect`/`disconnect` with this key (uid or receiver) and sender mean this connection. */
  matches(key: unknown, bound: boolean, sender: unknown): boolean {
    return (
      !this.closed &&
      this.bound === bound &&
      // SameValueZero, as the sender index (a Map) compares: 0 and -0 are one sender.
      (!bound || this.sender === sender || (this.sender !== this.sender && sender !== sender)) &&
      (this.uid !== null ? this.uid === key : this.receiver === key)
    );
  }

  /** Disconnects: idempotent, from any side (unsubscribe, disconnect, garbage collection, pipe end). */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.weak) weakConnections.unregister(this);
    this.detach(this);
    this.subscription.unsubscribe();
  }
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * The connections of one signal in connection order, indexed by sender so that a send visits
 * only the any-sender connections and those bound to its own sender.
 *
 * Lists are copy-on-write: a send walks the lists it read at its start, so a connection made
 * during a send is not called by it (as in Django), while one ended during a send is skipped
 * through its `closed` flag (as with an unsubscribed RxJS subscriber).
 * @internal
 */
export class ConnectionRegistry<E> {
  /** Connections without a sender filter. */
  anySender: readonly Connection<E>[] = NONE;
  private readonly bySender = new Map<unknown, readonly Connection<E>[]>();
  /** How many connections are live. */
  size = 0;
  /** How many live connections hold their receiver weakly. */
  weakCount = 0;

  /** The connections bound to `sender` (a frozen empty list when none). */
  boundTo(sender: unknown): readonly Connection<E>[] {
    return this.bySender.size === 0 ? NONE : (this.bySender.get(sender) ?? NONE);
  }

  find(key: unknown, bound: boolean, sender: unknown): Connection<E> | undefined {
    const list = bound ? this.boundTo(sender) : this.anySender;
    return list.find((connection) => connection.matches(key, bound, sender));
  }

  add(connection: Connection<E>): void {
    this.size++;
    if (connection.isWeak) this.weakCount++;
    if (connection.bound) {
      this.bySender.set(connection.sender, [...this.boundTo(connection.sender), connection]);
    } else {
      this.anySender = [...this.anySender, connection];
    }
  }

  remove(connection: Connection<E>): void {
    this.size--;
    if (connection.isWeak) this.weakCount--;
    if (connection.bound) {
      const rest = this.boundTo(connection.sender).filter((other) => other !== connection);
      if (rest.length === 0) this.bySender.delete(connection.sender);
      else this.bySender.set(connection.sender, rest);
    } else {
      this.anySender = this.anySender.filter((other) => other !== connection);
    }
  }

  /** Ends every connection whose weak receiver was collected; the finalizer would, but later. */
  pruneCollected(): void {
    if (this.weakCount === 0) return;
    for (const connection of this.all()) if (connection.receiver === undefined) connection.end();
  }

  /** Every live connection, in connection order. */
  all(): Connection<E>[] {
    return [...this.anySender, ...[...this.bySender.values()].flat()].sort((a, b) => a.seq - b.seq);
  }
}
