import { GCProfiler, getHeapStatistics } from 'node:v8';
import { measure } from 'mitata';
import { median } from '../stats';
import { listenerWork } from './payload';
import type { MicroCase } from './cases';

/**
 * The median time of one operation in nanoseconds, as mitata measures it: batches of calls timed
 * together, at least `minMs` of CPU time, the median of the batches.
 *
 * @example
 * const ns = await timeOperation(() => signal.send(app, payload), 300);
 */
export async function timeOperation(op: () => unknown, minMs: number): Promise<number> {
  const stats = await measure(op, { min_cpu_time: minMs * 1e6 });
  return stats.p50;
}

/**
 * Heap bytes allocated by one operation: the growth of V8's used heap across `sends`
 * operations, the median of `trials` trials. A trial during which a garbage collection ran (seen
 * by V8's `GCProfiler`) is left out, since the collection shrank the heap it measures; when most
 * trials are cut so, the operation allocates a lot and the trials are made shorter.
 *
 * Why it can be trusted to say "nothing": V8 allocates new objects by bumping a pointer, and the
 * used heap size follows that pointer, so 16 bytes per operation show as 16 B/op. The probe's
 * own call of `getHeapStatistics` allocates about 600 bytes per trial: 0.06 B/op over 10,000
 * operations, the floor of this probe.
 *
 * @example
 * allocationPerOperation(() => signal.send(app, payload), 10_000, 21); // ~0.06 with no receivers
 */
export function allocationPerOperation(op: () => unknown, sends: number, trials: number): number {
  runMany(op, sends); // warm: the loop and the operation are optimised before the first trial
  globalThis.gc?.();
  const profiler = new GCProfiler();
  for (let length = sends; length >= MIN_ALLOCATION_SENDS; length = Math.floor(length / 4)) {
    const perOperation: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      profiler.start();
      const before = usedHeap();
      runMany(op, length);
      const after = usedHeap();
      const collections = profiler.stop().statistics.length;
      if (collections === 0) perOperation.push((after - before) / length);
    }
    if (perOperation.length * 2 >= trials) return median(perOperation);
  }
  return Number.NaN;
}

/** The shortest trial of the allocation probe; below it, the probe's own allocation would dominate. */
const MIN_ALLOCATION_SENDS = 100;

/**
 * Runs an operation once and checks that it called exactly the listeners it should, so that a
 * case which silently does nothing cannot produce a flattering figure.
 *
 * @example
 * await verifyCalls(microCase); // throws when a listener is missing
 */
export async function verifyCalls(microCase: MicroCase): Promise<void> {
  const before = listenerWork.calls;
  await microCase.op();
  const calls = listenerWork.calls - before;
  if (calls !== microCase.expectedCalls) {
    throw new Error(
      `bench case "${microCase.label}" called ${calls} listeners in one operation, expected ${microCase.expectedCalls}: ` +
        'the case is wired wrongly and its figure would mean nothing.',
    );
  }
}

function runMany(op: () => unknown, times: number): void {
  for (let index = 0; index < times; index++) op();
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}
