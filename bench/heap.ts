import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * The live heap after full garbage collections, for "is the heap flat?" checks: several `gc()`
 * calls with event-loop turns between them, so that finalizers (weak connections) and the
 * cleanups they schedule run before the heap is read.
 *
 * Needs `node --expose-gc`, which `npm run bench` passes; without it, it throws.
 *
 * @example
 * const before = await settledHeapUsed();
 * churn();
 * const growth = (await settledHeapUsed()) - before;
 */
export async function settledHeapUsed(): Promise<number> {
  const gc = requireGc();
  for (let pass = 0; pass < 4; pass++) {
    gc();
    await nextTurn();
  }
  return process.memoryUsage().heapUsed;
}

/**
 * `global.gc`, or a TypeError saying how to get it.
 *
 * @example
 * requireGc()();
 */
export function requireGc(): () => void {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') {
    throw new TypeError(
      'The heap checks need garbage collection on demand: run node with --expose-gc ' +
        '(npm run bench does: node --expose-gc .build/bench/index.js).',
    );
  }
  return () => gc();
}
