/**
 * A bounded FIFO (a ring buffer): `push` never blocks and never grows past `capacity`; when
 * full, the oldest item is dropped and handed to `onDrop`.
 * @internal
 */
export class Outbox<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly onDrop: (item: T) => void,
  ) {
    this.items = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.capacity) this.onDrop(this.shift()!);
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
  }

  /** Puts items back in front, in their order (a batch Redis did not take); the oldest go first when full. */
  unshiftAll(items: readonly T[]): void {
    for (let i = items.length - 1; i >= 0; i--) {
      if (this.count === this.capacity) {
        this.onDrop(items[i]); // older than everything queued: the first to go
        continue;
      }
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.items[this.head] = items[i];
      this.count++;
    }
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }

  /** Calls `fn` on the newest `count` items, oldest of them first, leaving them in place. */
  forEachNewest(count: number, fn: (item: T) => void): void {
    for (let i = Math.max(this.count - count, 0); i < this.count; i++) fn(this.items[(this.head + i) % this.capacity]!);
  }

  /** Takes up to `max` items from the front. */
  take(max: number): T[] {
    const taken: T[] = [];
    while (taken.length < max && this.count > 0) taken.push(this.shift()!);
    return taken;
  }
}
