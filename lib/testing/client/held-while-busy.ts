import { clearImmediate, setImmediate } from 'node:timers';

/**
 * Something opened while anyone uses it, and closed at the next turn of the event loop once
 * nobody does: a test's sequential requests (each awaited before the next starts) share one
 * opening instead of opening and closing it each.
 *
 * @example
 * const listening = new HeldWhileBusy(() => {
 *   const subscription = signal.subscribe(observe);
 *   return () => subscription.unsubscribe();
 * });
 * listening.acquire(); // subscribed
 * listening.release(); // unsubscribed at the next turn, unless acquired again before
 * @internal
 */
export class HeldWhileBusy {
  private users = 0;
  private close: (() => void) | null = null;
  private closing: NodeJS.Immediate | null = null;

  /** @param open opens it and returns how to close it. */
  constructor(private readonly open: () => () => void) {}

  /** One more user: opens it unless it is open (or still closing, which is then called off). */
  acquire(): void {
    if (this.users++ !== 0) return;
    if (this.closing !== null) clearImmediate(this.closing);
    this.closing = null;
    this.close ??= this.open();
  }

  /**
   * One user fewer: with none left, it closes at the next turn of the event loop. Node's own
   * timers (`node:timers`), never the global ones a test may have faked (Jest's fake timers would
   * hold it open until the test advanced them).
   */
  release(): void {
    if (--this.users !== 0) return;
    this.closing = setImmediate(() => {
      this.closing = null;
      if (this.users !== 0) return; // acquired again meanwhile
      const close = this.close;
      this.close = null;
      close?.();
    });
    this.closing.unref();
  }
}
