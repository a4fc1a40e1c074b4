import { BARS, checkBar, type BarCheck } from './bars';
import { SOAK_PATHS } from './macro/apps';
import { loadServer, type LoadResult } from './macro/load';
import type { CountsReply } from './macro/protocol';
import { ServerProcess } from './macro/server-process';
import type { BenchPlan } from './options';
import { waitUntil } from './wait';

/**
 * What the soak saw, client side and server side, and its verdicts.
 *
 * @example
 * const { problems, server }: SoakResult = await runSoak(plan, console.error);
 * server.started === server.finished; // true when problems is empty
 */
export interface SoakResult {
  readonly requests: number;
  readonly client: LoadResult;
  /** The server's counters over the soak (after the warm-up), by name. */
  readonly server: CountsReply;
  readonly heapBefore: number;
  readonly heapAfter: number;
  readonly growth: number;
  /** Every count that did not match; empty when the soak passed. */
  readonly problems: readonly string[];
  readonly bar: BarCheck;
}

/** Requests before the heap baseline, so that code, caches and pools already exist. */
const WARMUP_REQUESTS = 10_000;
/** How long the server may take to finish its last requests after the load generator stopped. */
const SETTLE_MS = 30_000;

/**
 * The soak: `requests` requests over loopback through the plugin's soak server (./macro/apps.ts:
 * plain replies, replies followed through `eventsOf`, a throwing route and a 404, in turn). It
 * checks that every response had exactly one `requestStarted` and one `requestFinished` with the
 * right outcome, that every per-request stream completed, and that the server's heap after
 * garbage collection did not grow.
 *
 * @example
 * const { problems, growth } = await runSoak(planFor(parseOptions(['--soak'])), console.error);
 */
export async function runSoak(plan: BenchPlan, log: (line: string) => void): Promise<SoakResult> {
  const server = await ServerProcess.start('soak');
  try {
    const paths = Object.keys(SOAK_PATHS);
    log(`soak: warming up with ${WARMUP_REQUESTS.toLocaleString('en-US')} requests`);
    await loadServer(server.url, { connections: plan.macroConnections, amount: WARMUP_REQUESTS, paths });
    const baseline = await settledCounts(server);
    const heapBefore = (await server.command('heap')).heapUsed;

    log(`soak: ${plan.soakRequests.toLocaleString('en-US')} requests`);
    const client = await loadServer(server.url, {
      connections: plan.macroConnections,
      amount: plan.soakRequests,
      paths,
    });
    const after = await settledCounts(server);
    const heapAfter = (await server.command('heap')).heapUsed;

    const soak: Record<string, number> = {};
    for (const name of Object.keys(after)) soak[name] = after[name] - (baseline[name] ?? 0);
    const growth = heapAfter - heapBefore;
    return {
      requests: plan.soakRequests,
      client,
      server: soak,
      heapBefore,
      heapAfter,
      growth,
      problems: soakProblems(plan.soakRequests, client, soak, after),
      bar: checkBar(BARS.soakHeap, growth, `${plan.soakRequests.toLocaleString('en-US')} requests`),
    };
  } finally {
    await server.stop();
  }
}

/**
 * Every way the counts of a soak disagree, as sentences (empty: they all agree).
 *
 * @example
 * soakProblems(4, client, { started: 4, finished: 4, completed: 3, errored: 1, ... }, totals); // []
 */
export function soakProblems(requests: number, client: LoadResult, soak: CountsReply, totals: CountsReply): string[] {
  const problems: string[] = [];
  const expect = (what: string, actual: number | undefined, expected: number) => {
    if (actual !== expected) problems.push(`${what}: ${actual} (expected ${expected})`);
  };
  const status = (code: number) => client.byStatus[String(code)] ?? 0;
  const expectedStatus = (code: number) => Object.values(SOAK_PATHS).filter((answer) => answer === code).length;
  expect('client errors', client.errors, 0);
  expect('client timeouts', client.timeouts, 0);
  expect('responses', client.responses, requests);
  for (const code of new Set(Object.values(SOAK_PATHS))) {
    // The paths are requested in turn on each connection, so each status has a known share of
    // the responses (give or take a request per connection): at least half of it proves the
    // soak took that path.
    const share = (requests * expectedStatus(code)) / Object.keys(SOAK_PATHS).length;
    if (status(code) < share / 2) problems.push(`${code} responses: ${status(code)} (expected about ${share})`);
  }
  const others = Object.keys(client.byStatus).filter((code) => !Object.values(SOAK_PATHS).includes(Number(code)));
  if (others.length > 0) problems.push(`unexpected statuses: ${others.join(', ')}`);
  expect('requestStarted', soak.started, client.responses);
  expect('requestFinished', soak.finished, client.responses);
  expect("requestFinished with outcome 'completed'", soak.completed, status(200) + status(404));
  expect("requestFinished with outcome 'errored'", soak.errored, status(500));
  expect('gotRequestException', soak.exceptions, status(500));
  expect("requestFinished with outcome 'aborted'", soak.aborted, 0);
  expect("requestFinished with outcome 'timeout'", soak.timeout, 0);
  expect('eventsOf streams completed (since start)', totals.watchedCompleted, totals.watched ?? 0);
  return problems;
}

/** The server's counters once every started request finished (the last responses may still be closing). */
async function settledCounts(server: ServerProcess): Promise<CountsReply> {
  let counts: CountsReply = {};
  // When they never settle, soakProblems reports the counts that disagree.
  await waitUntil(async () => {
    counts = await server.command('counts');
    return counts.started === counts.finished && counts.watched === counts.watchedCompleted;
  }, SETTLE_MS);
  return counts;
}
