import type { BenchPlan } from '../options';
import { get, type ClientRequest } from 'node:http';
import { PANEL_EVENTS_PATH } from './apps';
import { loadServer } from './load';
import { loadRun, roundOrder } from './rounds';
import { ServerProcess } from './server-process';
import type { MacroRun } from './summary';

/**
 * The panel bar's own measure: `plan.panelPairs` fresh pairs of server processes, the busy app
 * and the same app with a panel page open, each pair warmed up and then loaded in alternation
 * for `plan.panelPairRounds` rounds (the panel first in every other round). The bar is the
 * median of all those rounds' ratios.
 *
 * Why fresh pairs: how fast one Node process serves, for its whole life, depends on how V8
 * compiled its hot code in the first seconds, and on this project's 2-core machines one process
 * of either kind can be 20 % off another started the same way (docs/benchmarks.md, "What the
 * panel costs a request"). A ratio of two processes then says as much about their draw as about
 * the panel; the median over several pairs says what a page costs an app.
 *
 * @example
 * const runs = await runPanelPairs(plan, console.error, 6); // rounds numbered from 6
 */
export async function runPanelPairs(
  plan: BenchPlan,
  log: (line: string) => void,
  firstRound: number,
): Promise<MacroRun[]> {
  const runs: MacroRun[] = [];
  let round = firstRound;
  for (let pair = 1; pair <= plan.panelPairs; pair++) {
    log(`macro: panel pair ${pair} of ${plan.panelPairs} (fresh plugin-busy and panel-open servers)`);
    const busy = await ServerProcess.start('plugin-busy');
    const panel = await ServerProcess.start('panel-open').catch(async (error: unknown) => {
      await busy.stop();
      throw error;
    });
    let viewer: ClientRequest | undefined;
    try {
      viewer = await openViewer(panel.url);
      for (const server of [busy, panel]) {
        await loadServer(server.url, { connections: plan.macroConnections, seconds: plan.macroWarmupSeconds });
      }
      for (let inPair = 0; inPair < plan.panelPairRounds; inPair++, round++) {
        const order = roundOrder([busy, panel], pair + inPair); // the panel first in every other round
        for (const server of order) {
          runs.push(
            await loadRun(server, { round, pair, seconds: plan.panelPairSeconds, connections: plan.macroConnections }),
          );
        }
      }
    } finally {
      viewer?.destroy();
      await Promise.all([busy.stop(), panel.stop()]);
    }
  }
  return runs;
}

/**
 * One page of the panel, as far as the server can tell: its event stream, open and read (from
 * this process, so the reading costs the server nothing) until `destroy()`.
 *
 * @example
 * const viewer = await openViewer(server.url);
 * viewer.destroy();
 */
export function openViewer(url: string): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = get(url + PANEL_EVENTS_PATH, { headers: { accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200)
        reject(new Error(`panel viewer: ${PANEL_EVENTS_PATH} answered ${response.statusCode}`));
      response.resume();
      resolve(request);
    });
    request.on('error', (error) => reject(error));
  });
}
