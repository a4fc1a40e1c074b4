import { macrotasks } from './waiting';

const collect = (globalThis as { gc?: () => void }).gc;

/**
 * Runs the garbage collector until `isCollected()` is true, with a macrotask before each pass:
 * a `WeakRef` dereferenced in the current job stays alive until the job ends, and
 * FinalizationRegistry callbacks run as tasks. Needs `node --expose-gc` (the test command has it).
 *
 * @example
 * const ref = connectTemporaryReceiver(signal);
 * await collectGarbageUntil(() => ref.deref() === undefined);
 */
export async function collectGarbageUntil(isCollected: () => boolean, passes = 10): Promise<void> {
  if (!collect) {
    throw new Error('global.gc is missing: run Jest under `node --expose-gc node_modules/jest/bin/jest.js`.');
  }
  for (let pass = 0; pass < passes; pass++) {
    await macrotasks(1);
    collect();
    if (isCollected()) return;
  }
  throw new Error(`still not collected after ${passes} garbage collections`);
}
