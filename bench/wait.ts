import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls an asynchronous condition until it holds, up to a deadline, and tells whether it held.
 * For state that another process owns (a bench server's counters), which cannot notify us: the
 * wait ends as soon as the condition holds, the deadline only bounds a failure.
 *
 * @example
 * const settled = await waitUntil(async () => {
 *   const { started, finished } = await server.command('counts');
 *   return started === finished;
 * }, 30_000);
 */
export async function waitUntil(condition: () => Promise<boolean>, deadlineMs: number, pollMs = 25): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await delay(pollMs);
  }
}
