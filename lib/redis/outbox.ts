/**
 * A bounded FIFO of `(key, value)` pairs (a ring buffer over two arrays): `push` never blocks,
 * never grows past `capacity` and allocates nothing; when full, the oldest pair is dropped and
 * handed to `onDrop`.
 *
 * Why two arrays and not one array of pair objects: the bridge queues every relayed send, and an
 * object per send was the largest part of what a relay added to a send (docs/benchmarks.md, "Redis
 * bridge"). The sends reach it through the publisher's stage, in batches.
 * @internal
 */
export class Outbox<K, V> {
  private readonly keys: (K | undefined)[];
  private readonly values: (V | undefined)[];
  private head = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly onDrop: (key: K, value: V) => void,
  ) {
    this.keys = new Array(capacity).fill(undefined);
    this.values = new Array(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  push(key: K, value: V): void {
    if (this.count === this.capacity) this.dropOldest();
    const slot = this.slot(this.count);
    this.keys[slot] = key;
    this.values[slot] = value;
    this.count++;
  }

  /** Puts pairs back in front, in their order (a batch Redis did not take); the oldest go first when full. */
  unshiftAll(keys: readonly K[], values: readonly V[]): void {
    for (let i = keys.length - 1; i >= 0; i--) {
      if (this.count === this.capacity) {
        this.onDrop(keys[i], values[i]); // older than everything queued: the first to go
        continue;
      }
      this.head = this.head === 0 ? this.capacity - 1 : this.head - 1;
      this.keys[this.head] = keys[i];
      this.values[this.head] = values[i];
      this.count++;
    }
  }

  /** Calls `fn` on the newest `count` pairs, oldest first; what it returns replaces the value. */
  replaceNewest(count: number, fn: (key: K, value: V) => V): void {
    for (let i = Math.max(this.count - count, 0); i < this.count; i++) {
      const slot = this.slot(i);
      this.values[slot] = fn(this.keys[slot]!, this.values[slot]!);
    }
  }

  /** Removes up to `max` of the oldest values, in order. */
  take(max: number): V[] {
    const taken: V[] = [];
    while (taken.length < max && this.count > 0) {
      taken.push(this.values[this.head]!);
      this.clear(this.head);
    }
    return taken;
  }

  /** Removes every pair, oldest first, handing each to `fn`. */
  drain(fn: (key: K, value: V) => void): void {
    while (this.count > 0) {
      const key = this.keys[this.head]!;
      const value = this.values[this.head]!;
      this.clear(this.head);
      fn(key, value);
    }
  }

  private dropOldest(): void {
    const key = this.keys[this.head]!;
    const value = this.values[this.head]!;
    this.clear(this.head);
    this.onDrop(key, value);
  }

  /** Empties the oldest slot (the head) so that what it held can be collected. */
  private clear(slot: number): void {
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.head = slot + 1 === this.capacity ? 0 : slot + 1;
    this.count--;
  }

  /** The slot of the pair `offset` places after the oldest (no `%`: a division per push). */
  private slot(offset: number): number {
    const slot = this.head + offset;
    return slot >= this.capacity ? slot - this.capacity : slot;
  }
}
