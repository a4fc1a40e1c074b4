import type { BenchPlan } from '../options';
import { waitUntil } from '../wait';
import type { ClientRequest } from 'node:http';
import { BUSY_RECEIVERS } from './apps';
import { loadServer } from './load';
import { loadRun, roundOrder } from './rounds';
import { openViewer, runPanelPairs } from './panel-pairs';
import { MACRO_VARIANTS, type MacroVariant } from './protocol';
import { ServerProcess } from './server-process';
import { summarizeMacro, type BusyReceiverCheck, type MacroResults, type MacroRun } from './summary';

/**
 * The macro bench: every server in its own process, loaded with autocannon over loopback, in
 * alternation (A B C D, D C B A, ...) so that a slow spell of the machine hits every server in a
 * round, after a warm-up run of each. Figures are medians over rounds; ratios are taken against
 * the no-op-hooks server and plain Fastify of the same run. The panel bar then gets its own
 * rounds, on fresh pairs of processes (see {@link runPanelPairs}).
 *
 * @example
 * const { figures, bars } = await runMacro(planFor(parseOptions([])), console.error);
 */
export async function runMacro(plan: BenchPlan, log: (line: string) => void): Promise<MacroResults> {
  const servers: ServerProcess<MacroVariant>[] = [];
  const runs: MacroRun[] = [];
  let receivers: BusyReceiverCheck | undefined;
  let viewer: ClientRequest | undefined;
  try {
    for (const variant of MACRO_VARIANTS) servers.push(await ServerProcess.start(variant));
    const panel = servers.find((server) => server.variant === 'panel-open');
    if (panel) viewer = await openViewer(panel.url);
    log(`macro: warming up ${servers.length} servers`);
    const responses = new Map<MacroVariant, number>();
    const count = (variant: MacroVariant, more: number) => responses.set(variant, (responses.get(variant) ?? 0) + more);
    for (const server of servers) {
      const warmup = await loadServer(server.url, {
        connections: plan.macroConnections,
        seconds: plan.macroWarmupSeconds,
      });
      count(server.variant, warmup.responses);
    }
    for (let round = 1; round <= plan.macroRounds; round++) {
      const order = roundOrder(servers, round);
      log(`macro: round ${round} of ${plan.macroRounds} (${order.map((server) => server.variant).join(', ')})`);
      for (const server of order) {
        const run = await loadRun(server, { round, seconds: plan.macroSeconds, connections: plan.macroConnections });
        count(server.variant, run.responses);
        runs.push(run);
      }
    }
    const busy = servers.find((server) => server.variant === 'plugin-busy');
    if (busy) receivers = await checkBusyReceivers(busy, responses.get('plugin-busy') ?? 0);
  } finally {
    viewer?.destroy();
    await Promise.all(servers.map((server) => server.stop()));
  }
  if (servers.some((server) => server.variant === 'panel-open') && plan.panelPairs > 0) {
    runs.push(...(await runPanelPairs(plan, log, plan.macroRounds + 1)));
  }
  return summarizeMacro(runs, receivers);
}

/**
 * Checks that the busy server's receivers really ran: each of the 3 on `requestStarted` and on
 * `requestFinished` once per request (at least once per response received; requests cut off when
 * a run stopped also start and finish), and every started request finished.
 */
async function checkBusyReceivers(server: ServerProcess<MacroVariant>, responses: number): Promise<BusyReceiverCheck> {
  let counts = await server.command('counts');
  await waitUntil(async () => {
    counts = await server.command('counts');
    return counts.started === counts.finished;
  }, 10_000);
  const startedCalls = counts.started ?? 0;
  const finishedCalls = counts.finished ?? 0;
  const problems: string[] = [];
  if (startedCalls !== finishedCalls) {
    problems.push(`requestStarted receivers ran ${startedCalls} times, requestFinished ones ${finishedCalls}`);
  }
  if (startedCalls < BUSY_RECEIVERS * responses) {
    problems.push(`${startedCalls} receiver calls for ${responses} responses (expected ${BUSY_RECEIVERS} per request)`);
  }
  return {
    responses,
    startedCalls,
    finishedCalls,
    ...(problems.length > 0 ? { problem: `plugin-busy: ${problems.join('; ')}` } : {}),
  };
}
