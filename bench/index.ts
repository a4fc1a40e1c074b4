/**
 * `npm run bench`: the performance bars of docs/benchmarks.md, measured as ratios within one run.
 * Prints markdown tables (ready for the README) on stdout, progress on stderr, and writes the raw
 * figures to bench/results/. Exits with 1 when a bar fails, 2 when the harness itself failed.
 *
 * @example
 * // npm run bench                 micro, memory, macro, per-request streams, test client, Redis (a few minutes)
 * // npm run bench -- --quick      a short smoke run
 * // npm run bench -- --soak       100,000+ requests through the plugin, counts and heap checked
 */
import { allRequiredBarsPass, type BarCheck } from './bars';
import { runTestClient, type TestClientResult } from './client';
import { formatBytes, formatNs, formatRatio } from './format';
import { macroTable } from './macro/report';
import { runMacro } from './macro/suite';
import type { MacroResults } from './macro/summary';
import { runConnectCycles, type ConnectCyclesResult } from './memory';
import { observabilityTable } from './micro/observability';
import { allocationTable, manyShapesTable, otherSendsTable, peerTable } from './micro/report';
import { runMicro, type MicroResults } from './micro/suite';
import { USAGE, parseOptions, planFor, type BenchOptions, type BenchPlan } from './options';
import { barsTable, soakTable } from './report';
import { machineInfo, writeResults } from './results';
import { runSoak, type SoakResult } from './soak';
import { runRequestStreams, type RequestStreamsResult } from './streams';
import { redisTable } from './redis/report';
import { runRedis, type RedisResults } from './redis/suite';
import { markdownTable } from './table';

const log = (line: string): void => console.error(`  … ${line}`);

/** Everything one run measured, as written to bench/results/. */
interface RunResults {
  micro?: MicroResults;
  memory?: ConnectCyclesResult;
  macro?: MacroResults;
  streams?: RequestStreamsResult;
  client?: TestClientResult;
  soak?: SoakResult;
  redis?: RedisResults | { skipped: string; bars: BarCheck[] };
}

async function main(options: BenchOptions): Promise<boolean> {
  const plan = planFor(options);
  const machine = machineInfo();
  console.log(
    `# rx-signals bench${options.quick ? ' (--quick: a smoke run, its figures are not worth comparing)' : ''}\n\n` +
      `Node ${machine.node} (V8 ${machine.v8}), ${machine.cores} × ${machine.cpu}, ` +
      `load average ${machine.loadAverage.join(' / ')} at the start\n`,
  );
  const results: RunResults = options.soak ? await soak(plan) : await sections(options, plan);
  const bars: BarCheck[] = [
    ...(results.micro?.bars ?? []),
    ...(results.memory ? [results.memory.bar] : []),
    ...(results.streams ? [results.streams.bar] : []),
    ...(results.client?.bars ?? []),
    ...(results.macro?.bars ?? []),
    ...(results.redis?.bars ?? []),
    ...(results.soak ? [results.soak.bar] : []),
  ];
  console.log('## Bars\n');
  console.log(`${barsTable(bars)}\n`);
  const path = writeResults({ date: new Date().toISOString(), machine, options, plan, ...results, bars });
  console.log(`Raw results: ${path}`);
  const soakPassed = results.soak === undefined || results.soak.problems.length === 0;
  return allRequiredBarsPass(bars) && soakPassed;
}

async function sections(options: BenchOptions, plan: BenchPlan): Promise<RunResults> {
  const results: RunResults = {};
  if (options.sections.includes('micro')) {
    const micro = (results.micro = await runMicro(plan, log));
    console.log('## send: ns per send (median)\n');
    console.log(`${peerTable(micro.figures)}\n`);
    console.log('## send: heap bytes allocated per send\n');
    console.log(`${allocationTable(micro.figures)}\n`);
    console.log('## Other sends\n');
    console.log(`${otherSendsTable(micro.figures)}\n`);
    console.log('## Sends in an app of many payload shapes (a process of its own)\n');
    console.log(`${manyShapesTable(micro.figures)}\n`);
    console.log('## Tracing channels and the profiler\n');
    console.log(`${observabilityTable(micro.figures)}\n`);
  }
  if (options.sections.includes('memory')) {
    log(`memory: ${plan.connectCycles.toLocaleString('en-US')} connect/unsubscribe cycles`);
    const memory = (results.memory = await runConnectCycles(plan.connectCycles));
    console.log('## Memory\n');
    console.log(
      `${markdownTable(
        ['connect/unsubscribe cycles', 'heap growth after GC', 'time per cycle'],
        [[memory.cycles.toLocaleString('en-US'), formatBytes(memory.growth, true), formatNs(memory.nsPerCycle)]],
      )}\n`,
    );
  }
  if (options.sections.includes('streams')) {
    const streams = (results.streams = await runRequestStreams(plan.requestsInFlight, log));
    console.log('## Per-request streams: one send to one request’s `eventsOf` stream\n');
    console.log(
      `${markdownTable(
        ['requests in flight', 'ns per send', '÷ 1 in flight'],
        [
          ['1', formatNs(streams.nsPerSendWithOne), formatRatio(1)],
          [streams.inFlight.toLocaleString('en-US'), formatNs(streams.nsPerSendWithMany), formatRatio(streams.ratio)],
          [
            `${streams.inFlight.toLocaleString('en-US')}, one \`filter\` per request instead (for comparison)`,
            formatNs(streams.nsPerSendWithFilters),
            formatRatio(streams.nsPerSendWithFilters / streams.nsPerSendWithOne),
          ],
        ],
      )}\n`,
    );
  }
  if (options.sections.includes('client')) {
    const client = (results.client = await runTestClient(plan, log));
    console.log(
      `## Test client: one GET of the same route (${client.requestsPerSample.toLocaleString('en-US')} sequential requests per way and round; ratios: median of the rounds' own)\n`,
    );
    console.log(
      `${markdownTable(
        ['way', 'µs of CPU per request', '÷ app.inject'],
        [
          ['`app.inject(url)`', client.usInject.toFixed(1), formatRatio(1)],
          ['`testClient(app).get(url)`', client.usClient.toFixed(1), formatRatio(client.clientRatio)],
          [
            '`testClient(app, { mute: [receiver] }).get(url)`',
            client.usClientMuting.toFixed(1),
            formatRatio(client.mutingRatio),
          ],
        ],
      )}\n`,
    );
  }
  if (options.sections.includes('macro')) {
    const macro = (results.macro = await runMacro(plan, log));
    console.log(
      `## Requests per second (autocannon on loopback, ${plan.macroConnections} connections, ` +
        `${plan.macroRounds} alternated rounds of ${plan.macroSeconds} s per server)\n`,
    );
    console.log(`${macroTable(macro.figures)}\n`);
    for (const warning of macro.warnings) console.log(`> warning: ${warning}\n`);
  }
  if (options.sections.includes('redis')) {
    const redis = (results.redis = await runRedis(plan, log));
    console.log('## Redis bridge vs raw node-redis (same run, private redis-server)\n');
    console.log('skipped' in redis ? `Skipped: ${redis.skipped}.\n` : `${redisTable(redis)}\n`);
  }
  return results;
}

async function soak(plan: BenchPlan): Promise<RunResults> {
  const result = await runSoak(plan, log);
  console.log(`## Soak: ${result.requests.toLocaleString('en-US')} requests through the plugin\n`);
  console.log(`${soakTable(result)}\n`);
  console.log(
    result.problems.length === 0
      ? 'Counts: every response had one requestStarted and one requestFinished with its outcome.\n'
      : `Counts DISAGREE:\n${result.problems.map((problem) => `- ${problem}`).join('\n')}\n`,
  );
  return { soak: result };
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
} else {
  main(options).then(
    (passed) => {
      process.exitCode = passed ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
