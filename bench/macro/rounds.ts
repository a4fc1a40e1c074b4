import { loadServer } from './load';
import type { MacroVariant } from './protocol';
import type { ServerProcess } from './server-process';
import type { MacroRun } from './summary';

/**
 * Loads one bench server for `seconds` with autocannon and records the run: its req/s, and the
 * CPU its process used meanwhile (asked of the server itself). A run with connection errors,
 * timeouts or a status other than 200 is kept but marked `invalid`, so it counts in no figure.
 *
 * @example
 * const run = await loadRun(server, { round: 1, seconds: 4, connections: 50 });
 */
export async function loadRun(
  server: ServerProcess<MacroVariant>,
  options: { readonly round: number; readonly pair?: number; readonly seconds: number; readonly connections: number },
): Promise<MacroRun> {
  await server.command('begin');
  const load = await loadServer(server.url, { connections: options.connections, seconds: options.seconds });
  const { cpuFraction, systemSeconds, wallSeconds } = await server.command('end');
  const notOk = Object.keys(load.byStatus).filter((status) => status !== '200');
  const invalid =
    load.errors > 0 || load.timeouts > 0 || notOk.length > 0 || load.responses === 0
      ? `${load.errors} errors, ${load.timeouts} timeouts, statuses ${JSON.stringify(load.byStatus)}`
      : undefined;
  return {
    variant: server.variant,
    round: options.round,
    ...(options.pair !== undefined ? { pair: options.pair } : {}),
    requestsPerSecond: load.requestsPerSecond,
    responses: load.responses,
    serverCpuSeconds: cpuFraction * wallSeconds,
    serverSystemSeconds: systemSeconds,
    cpuFraction,
    ...(invalid ? { invalid } : {}),
  };
}

/**
 * The order in which round `round` (from 1) loads the servers: as listed in odd rounds, reversed in
 * even ones. A machine slowing down or speeding up during a round then favours the first of two
 * neighbours in one round and the second in the next.
 *
 * @example
 * roundOrder(['a', 'b', 'c'], 2); // ['c', 'b', 'a']
 */
export function roundOrder<T>(servers: readonly T[], round: number): readonly T[] {
  return round % 2 === 1 ? servers : [...servers].reverse();
}
