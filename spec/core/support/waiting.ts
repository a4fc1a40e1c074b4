/**
 * Resolves after `rounds` full turns of the event loop (a timer and a check phase each), so that
 * anything queued as a macrotask before the call (RxJS's `setTimeout` rethrow, a FinalizationRegistry
 * callback, an unhandled-rejection check) has run.
 *
 * @example
 * signal.sendRobust(app);
 * await macrotasks(3);
 */
export async function macrotasks(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * A promise with its `resolve`/`reject` handed out, to settle receivers in a chosen order.
 *
 * @example
 * const gate = deferred<number>();
 * signal.connect(() => gate.promise);
 * gate.resolve(1);
 */
export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Waits until `condition()` holds, checking once per event-loop turn; fails after `limitMs`
 * (generous: it is a safety net for a loaded machine, never a timing assertion).
 *
 * @example
 * await until(() => calls.length === 2);
 */
export async function until(condition: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`until(): condition still false after ${limitMs} ms: ${condition}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}
