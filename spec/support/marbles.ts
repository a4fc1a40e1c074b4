import type { TestScheduler } from 'rxjs/testing';
import { testScheduler } from '../../lib/testing';

/**
 * A fresh `TestScheduler` (the toolkit's `testScheduler`) that asserts with Jest's `toEqual`, so
 * a failing marble test shows Jest's diff of the frames. One per test: a scheduler runs once.
 *
 * @example
 * marbles().run(({ hot, expectObservable }) => {
 *   expectObservable(hot('-a-b').pipe(map((letter) => letter.toUpperCase()))).toBe('-A-B');
 * });
 */
export function marbles(): TestScheduler {
  return testScheduler((actual, expected) => expect(actual).toEqual(expected));
}
