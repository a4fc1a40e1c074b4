import type { Connection } from './connection';

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
export class ConnectionIndex<E> {
  /** Connections without a sender filter. */
  anySender: readonly Connection<E>[] = NONE;
  private readonly bySender = new Map<unknown, readonly Connection<E>[]>();
  /** How many live connections hold their receiver weakly. */
  private weakCount = 0;

  /** The connections bound to `sender` (a frozen empty list when none). */
  boundTo(sender: unknown): readonly Connection<E>[] {
    return this.bySender.size === 0 ? NONE : (this.bySender.get(sender) ?? NONE);
  }

  find(key: unknown, bound: boolean, sender: unknown): Connection<E> | undefined {
    const list = bound ? this.boundTo(sender) : this.anySender;
    return list.find((connection) => connection.matches(key, bound, sender));
  }

  add(connection: Connection<E>): void {
    if (connection.isWeak) this.weakCount++;
    if (connection.bound) {
      this.bySender.set(connection.sender, [...this.boundTo(connection.sender), connection]);
    } else {
      this.anySender = [...this.anySender, connection];
    }
  }

  remove(connection: Connection<E>): void {
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

  /** The connections a send from `sender` reaches: those for any sender and its own, in connection order. */
  reachedBy(sender: unknown): Connection<E>[] {
    return [...this.anySender, ...this.boundTo(sender)].sort((a, b) => a.seq - b.seq);
  }

  /** Every live connection, in connection order. */
  all(): Connection<E>[] {
    return [...this.anySender, ...[...this.bySender.values()].flat()].sort((a, b) => a.seq - b.seq);
  }
}
