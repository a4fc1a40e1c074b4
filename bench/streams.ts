import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { filter, type Subscription } from 'rxjs';
import { gotRequestException, signalsPlugin } from '../lib';
import { BARS, checkBar, type BarCheck } from './bars';
import { median, ratio } from './stats';

/**
 * What the per-request stream bench measured.
 *
 * @example
 * const { ratio, bar }: RequestStreamsResult = await runRequestStreams(10_000, console.error);
 */
export interface RequestStreamsResult {
  readonly inFlight: number;
  /** Median ns of one send reaching one request's stream, with 1 request in flight. */
  readonly nsPerSendWithOne: number;
  /** The same with `inFlight` requests in flight, each followed through `app.signals.eventsOf`. */
  readonly nsPerSendWithMany: number;
  readonly ratio: number;
  /** For comparison: the same send when each request's stream is a `filter` on the signal. */
  readonly nsPerSendWithFilters: number;
  readonly bar: BarCheck;
}

/** Sends timed together (one sample), samples per round, and rounds (alternating 1 / many). */
const SENDS_PER_SAMPLE = 2_000;
const SAMPLES_PER_ROUND = 10;
const ROUNDS = 5;
const WARMUP_SENDS = 10_000;
/** Sends timed when each request is followed by a filter: every send visits them all, so fewer. */
const FILTER_SENDS = 200;

/** An app holding requests in flight, each followed through `app.signals.eventsOf(request)`. */
interface HeldRequests {
  readonly app: FastifyInstance;
  readonly held: readonly { request: FastifyRequest; reply: FastifyReply }[];
  /** Events each held request's stream delivered, by index in `held`. */
  readonly heard: number[];
  /** Lets every held handler answer; resolves once every response came back, with their status codes. */
  release(): Promise<number[]>;
}

/**
 * The per-request stream bar of docs/benchmarks.md: the cost of one send to one request's
 * stream (`app.signals.eventsOf(request)`) with 1 request in flight and with `inFlight`, each of
 * them followed by its own stream. The sends are `gotRequestException.sendRobust` from the app
 * (what the plugin sends on an error) naming one held request; the two apps are measured in
 * alternation and both live throughout, so that they share the same heap and machine state.
 *
 * @example
 * const { ratio } = await runRequestStreams(10_000, console.error); // ≈ 1 with an index by request
 */
export async function runRequestStreams(inFlight: number, log: (line: string) => void): Promise<RequestStreamsResult> {
  log(`streams: holding 1 and ${inFlight.toLocaleString('en-US')} requests in flight`);
  const one = await holdRequests(1);
  try {
    const many = await holdRequests(inFlight);
    try {
      return measure(one, many);
    } finally {
      await finish(many);
    }
  } finally {
    await finish(one);
  }
}

/** Times sends to one held request of each app, alternating, and checks they reached its stream only. */
function measure(one: HeldRequests, many: HeldRequests): RequestStreamsResult {
  const inFlight = many.held.length;
  const sendToOne = sender(one, 0);
  const sendToMany = sender(many, inFlight >> 1);
  // What the streams heard before (their own requestStarted, when it was recorded).
  const heardBefore = { one: [...one.heard], many: [...many.heard] };
  sendToOne(WARMUP_SENDS);
  sendToMany(WARMUP_SENDS);
  const samplesOne: number[] = [];
  const samplesMany: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let sample = 0; sample < SAMPLES_PER_ROUND; sample++) samplesOne.push(sendToOne(SENDS_PER_SAMPLE));
    for (let sample = 0; sample < SAMPLES_PER_ROUND; sample++) samplesMany.push(sendToMany(SENDS_PER_SAMPLE));
  }
  const sent = WARMUP_SENDS + ROUNDS * SAMPLES_PER_ROUND * SENDS_PER_SAMPLE;
  expectOnlyTarget(one, heardBefore.one, 0, sent);
  expectOnlyTarget(many, heardBefore.many, inFlight >> 1, sent);

  const nsPerSendWithFilters = withFilterPerRequest(many, inFlight >> 1);

  const nsPerSendWithOne = median(samplesOne);
  const nsPerSendWithMany = median(samplesMany);
  const measured = ratio(nsPerSendWithMany, nsPerSendWithOne);
  return {
    inFlight,
    nsPerSendWithOne,
    nsPerSendWithMany,
    ratio: measured,
    nsPerSendWithFilters,
    bar: checkBar(BARS.requestStreamsIndex, measured, `${inFlight.toLocaleString('en-US')} requests in flight`),
  };
}

/** Starts `count` requests (light-my-request, no sockets) whose handlers wait, each followed by its stream. */
async function holdRequests(count: number): Promise<HeldRequests> {
  const app = Fastify({ logger: false });
  await app.register(signalsPlugin);
  const held: { request: FastifyRequest; reply: FastifyReply }[] = [];
  const heard: number[] = [];
  const streams: Subscription[] = [];
  let releaseHandlers!: () => void;
  const released = new Promise<void>((resolve) => (releaseHandlers = resolve));
  let allHeld!: () => void;
  const everyoneHeld = new Promise<void>((resolve) => (allHeld = resolve));
  app.get('/hold', async (request, reply) => {
    const index = held.push({ request, reply }) - 1;
    heard[index] = 0;
    streams.push(
      app.signals.eventsOf(request).subscribe(() => {
        heard[index]++;
      }),
    );
    if (held.length === count) allHeld();
    await released;
    return { released: index };
  });
  await app.ready();
  const responses = Array.from({ length: count }, () => app.inject({ method: 'GET', url: '/hold' }));
  await everyoneHeld;
  return {
    app,
    held,
    heard,
    release: async () => {
      releaseHandlers();
      const statuses = (await Promise.all(responses)).map((response) => response.statusCode);
      for (const stream of streams) stream.unsubscribe();
      return statuses;
    },
  };
}

/** A function that sends `times` exceptions of one held request and returns the mean ns per send of that sample. */
function sender(requests: HeldRequests, target: number): (times: number) => number {
  const { request, reply } = requests.held[target];
  const args = { request, reply, error: new Error('bench: a per-request event') };
  const app = requests.app;
  return (times) => {
    const started = process.hrtime.bigint();
    for (let index = 0; index < times; index++) gotRequestException.sendRobust(app, args);
    return Number(process.hrtime.bigint() - started) / times;
  };
}

/** The index must route: the target's stream heard every send, no other stream heard any. */
function expectOnlyTarget(requests: HeldRequests, before: readonly number[], target: number, sent: number): void {
  const heard = requests.heard.map((count, index) => count - before[index]);
  const others = heard.reduce((sum, count, index) => (index === target ? sum : sum + count), 0);
  if (heard[target] !== sent || others !== 0) {
    throw new Error(
      `streams: the target request's stream heard ${heard[target]} of ${sent} sends and the other ` +
        `streams ${others}: app.signals.eventsOf(request) does not deliver one request's events to that request alone.`,
    );
  }
}

/** What a send costs when every held request is followed by a filter on the signal (O(requests) per send). */
function withFilterPerRequest(requests: HeldRequests, target: number): number {
  const subscriptions = requests.held.map(({ request }) =>
    gotRequestException.pipe(filter((event) => event.request === request)).subscribe(() => undefined),
  );
  try {
    return sender(requests, target)(FILTER_SENDS);
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
  }
}

async function finish(requests: HeldRequests): Promise<void> {
  const statuses = await requests.release();
  await requests.app.close();
  const failed = statuses.filter((status) => status !== 200).length;
  if (failed > 0) throw new Error(`streams: ${failed} held requests did not answer 200 once released.`);
}
