import Fastify from 'fastify';
import { requestFinished, requestStarted, signalsPlugin } from '../lib';
import { testClient, type TestClient } from '../lib/testing';
import { BARS, checkBar, type BarCheck } from './bars';
import { median, ratio } from './stats';

/**
 * What the test-client bench measured: one GET of the same route through `app.inject()`, the
 * test client, and the test client muting a receiver for its requests.
 *
 * @example
 * const { clientRatio }: TestClientResult = await runTestClient(planFor(parseOptions([])), console.error);
 */
export interface TestClientResult {
  /** Requests of one sample (sequential, each awaited). */
  readonly requestsPerSample: number;
  /** Median µs of CPU per request of each way, over every round. */
  readonly usInject: number;
  readonly usClient: number;
  readonly usClientMuting: number;
  /** `client.get(url)` ÷ `app.inject(url)`: the median of the rounds' ratios. */
  readonly clientRatio: number;
  /** `client.get(url)` with `mute` ÷ `app.inject(url)`. */
  readonly mutingRatio: number;
  readonly bars: readonly BarCheck[];
}

/** Requests of each way before timing, so the JIT has compiled every path (unless the plan says otherwise). */
const WARMUP_REQUESTS = 2_000;

/**
 * The test-client bar of docs/benchmarks.md: `client.get(url)` ≤ 1.3 × `app.inject(url)` on the
 * same route. The app is the seed scenario's shape: `signalsPlugin` and a cleanup receiver on
 * `requestStarted` and `requestFinished` (so `inject()` requests are followed and their events
 * built too). The three ways are timed back to back in many short rounds (a batch of
 * `requestsPerSample` sequential requests each, every response checked); a ratio is the median
 * of the rounds' own ratios, so that load from other processes, which drifts over seconds,
 * weighs on both sides of each ratio alike.
 *
 * @example
 * const result = await runTestClient({ clientRounds: 5, clientRequests: 1_000 }, console.error);
 */
export async function runTestClient(
  plan: { readonly clientRounds: number; readonly clientRequests: number; readonly clientWarmup?: number },
  log: (line: string) => void,
): Promise<TestClientResult> {
  const app = Fastify({ logger: false });
  try {
    let cleanups = 0;
    const cleanup = () => {
      cleanups++;
    };
    await app.register(signalsPlugin);
    app.signals.connect(requestStarted, cleanup);
    app.signals.connect(requestFinished, cleanup);
    app.get('/hello', async () => ({ hello: 'world' }));
    await app.ready();

    const ways = {
      inject: (): Promise<{ statusCode: number; body: string }> => app.inject('/hello'),
      client: get(testClient(app)),
      muting: get(testClient(app, { mute: [cleanup] })),
    };
    const samples = { inject: [] as number[], client: [] as number[], muting: [] as number[] };
    const warmup = plan.clientWarmup ?? WARMUP_REQUESTS;
    for (const way of Object.values(ways)) await time(way, warmup);

    for (let round = 1; round <= plan.clientRounds; round++) {
      if (round % 10 === 1)
        log(`client: rounds ${round}-${Math.min(round + 9, plan.clientRounds)} of ${plan.clientRounds}`);
      // A different order each round, so that no way always follows the same one.
      const order = (['inject', 'client', 'muting'] as const).map((_, index, all) => all[(index + round) % all.length]);
      for (const name of order) samples[name].push(await time(ways[name], plan.clientRequests));
    }
    const expectedCleanups = 2 * (warmup + plan.clientRounds * plan.clientRequests) * 2;
    if (cleanups !== expectedCleanups) {
      throw new Error(
        `client: the cleanup receiver ran ${cleanups} times, expected ${expectedCleanups} (twice per request of ` +
          'inject() and of the plain client, never for the muting client).',
      );
    }
    // Ratios of the same round: the ways of one round ran back to back, under the same load.
    const clientRatio = median(samples.client.map((us, round) => ratio(us, samples.inject[round])));
    const mutingRatio = median(samples.muting.map((us, round) => ratio(us, samples.inject[round])));
    const usInject = median(samples.inject);
    const usClient = median(samples.client);
    const usClientMuting = median(samples.muting);
    const note = `${plan.clientRequests.toLocaleString('en-US')} sequential requests per sample`;
    return {
      requestsPerSample: plan.clientRequests,
      usInject,
      usClient,
      usClientMuting,
      clientRatio,
      mutingRatio,
      bars: [checkBar(BARS.testClientGet, clientRatio, note), checkBar(BARS.testClientGetMuting, mutingRatio, note)],
    };
  } finally {
    await app.close();
  }
}

function get(client: TestClient): () => Promise<{ statusCode: number; body: string }> {
  return () => client.get('/hello');
}

/**
 * Sends `requests` requests one after the other; the mean µs of CPU per request. CPU time (user
 * and system, of this process), not wall time: nothing here waits for I/O, and on a machine
 * shared with other busy processes the wall clock mostly measures their time slices.
 */
async function time(send: () => Promise<{ statusCode: number; body: string }>, requests: number): Promise<number> {
  const started = process.cpuUsage();
  for (let index = 0; index < requests; index++) {
    const response = await send();
    if (response.statusCode !== 200 || response.body !== '{"hello":"world"}') {
      throw new Error(`client: GET /hello answered ${response.statusCode} ${response.body}`);
    }
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / requests;
}
