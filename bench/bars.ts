import { formatBytes, formatNs, formatRatio } from './format';

/**
 * What a bar's figure is, which decides how it is printed.
 *
 * @example
 * const unit: BarUnit = 'heap growth'; // printed signed: '+342.1 KB'
 */
export type BarUnit = 'ns' | 'ratio' | 'bytes per op' | 'heap growth';

/**
 * One performance bar of docs/benchmarks.md.
 *
 * @example
 * const bar: Bar = { id: 'pluginIdle', what: 'req/s ÷ no-op hooks', comparison: 'at least', limit: 0.98, unit: 'ratio' };
 */
export interface Bar {
  /** Stable key, used in the JSON results. */
  readonly id: string;
  /** What is measured, as the printed table says it. */
  readonly what: string;
  readonly comparison: 'at most' | 'at least';
  readonly limit: number;
  readonly unit: BarUnit;
  /** A stretch goal: reported like the others, but missing it is not a failure of the run. */
  readonly stretch?: boolean;
}

/**
 * The outcome of checking one bar; SKIP when the figure could not be measured in this run.
 *
 * @example
 * const verdict: Verdict = checkBar(BARS.senderIndex, 1.1).verdict; // 'PASS'
 */
export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

/**
 * A bar with its measured figure and verdict.
 *
 * @example
 * const check: BarCheck = checkBar(BARS.soakHeap, 350_000, '120,000 requests');
 */
export interface BarCheck {
  readonly bar: Bar;
  readonly measured: number | undefined;
  readonly verdict: Verdict;
  /** Why a bar was skipped, or what the figure was measured against. */
  readonly note?: string;
  /** Set when the run's conditions make the figure untrustworthy (a starved server): why. */
  readonly noisy?: string;
}

/**
 * The bars of docs/benchmarks.md, by id. Ratios are always taken within one run, never against
 * figures of another machine or day.
 *
 * @example
 * checkBar(BARS.sendWithOneReceiver, 0.9).verdict; // 'PASS'
 */
export const BARS = {
  sendWithoutReceiversTime: bar('sendWithoutReceiversTime', 'send, 0 receivers: time', 'at most', 2, 'ns'),
  sendWithoutReceiversAllocation: bar(
    'sendWithoutReceiversAllocation',
    'send, 0 receivers: heap allocated per send',
    'at most',
    1,
    'bytes per op',
  ),
  sendWithOneReceiver: bar('sendWithOneReceiver', 'send ÷ Subject.next, 1 receiver', 'at most', 1, 'ratio'),
  sendWithTenReceivers: bar('sendWithTenReceivers', 'send ÷ Subject.next, 10 receivers', 'at most', 1, 'ratio'),
  senderIndex: bar(
    'senderIndex',
    'send from 1 of 1,000 sender-bound receivers ÷ send with 1 receiver',
    'at most',
    3,
    'ratio',
  ),
  unobservedEmptySendTime: bar(
    'unobservedEmptySendTime',
    'send, 0 receivers, no channel subscriber and no profiler: time',
    'at most',
    2,
    'ns',
  ),
  unobservedEmptySendAllocation: bar(
    'unobservedEmptySendAllocation',
    'send, 0 receivers, no channel subscriber and no profiler: heap allocated per send',
    'at most',
    1,
    'bytes per op',
  ),
  profiledSend: bar('profiledSend', 'send, 1 receiver: profiled ÷ unprofiled', 'at most', 2, 'ratio'),
  connectCyclesHeap: bar(
    'connectCyclesHeap',
    'heap growth after 1,000,000 connect/unsubscribe cycles',
    'at most',
    1024 ** 2,
    'heap growth',
  ),
  requestStreamsIndex: bar(
    'requestStreamsIndex',
    'per-request streams: send with 10,000 requests in flight ÷ with 1',
    'at most',
    3,
    'ratio',
  ),
  pluginIdle: bar('pluginIdle', 'req/s: plugin, no receivers ÷ two no-op hooks', 'at least', 0.98, 'ratio'),
  pluginBusy: bar(
    'pluginBusy',
    'req/s: plugin, 3 receivers on start and finish ÷ two no-op hooks',
    'at least',
    0.95,
    'ratio',
  ),
  pluginIdleVsPlain: {
    ...bar('pluginIdleVsPlain', 'req/s: plugin, no receivers ÷ plain Fastify (stretch)', 'at least', 0.97, 'ratio'),
    stretch: true,
  },
  redisBroadcast: bar(
    'redisBroadcast',
    'bridge broadcast between two processes: events/s ÷ raw PUBLISH→SUBSCRIBE',
    'at least',
    0.8,
    'ratio',
  ),
  redisP99: bar('redisP99', 'bridge broadcast: p99 send→remote receiver ÷ raw pub/sub p99', 'at most', 1.25, 'ratio'),
  redisRelaySend: bar(
    'redisRelaySend',
    'local send (1 receiver) with a broadcast relay ÷ without',
    'at most',
    1.5,
    'ratio',
  ),
  redisGroup: bar(
    'redisGroup',
    'bridge group delivery: events/s ÷ raw XADD/XREADGROUP/XACK loop',
    'at least',
    0.7,
    'ratio',
  ),
  panelOpen: bar(
    'panelOpen',
    'req/s: plugin, 3+3 receivers, the panel open (one viewer) ÷ the same without the panel',
    'at least',
    0.9,
    'ratio',
  ),
  testClientGet: bar(
    'testClientGet',
    'testClient(app).get(url) ÷ app.inject(url), same route',
    'at most',
    1.3,
    'ratio',
  ),
  testClientGetMuting: bar(
    'testClientGetMuting',
    'testClient(app, { mute: [receiver] }).get(url) ÷ app.inject(url), same route',
    'at most',
    1.3,
    'ratio',
  ),
  soakHeap: bar('soakHeap', 'heap growth after the soak requests', 'at most', 1024 ** 2, 'heap growth'),
} as const satisfies Record<string, Bar>;

/**
 * Checks a measured figure against a bar. A figure that is missing or not finite is a SKIP
 * (say why in `note`), never a PASS.
 *
 * @example
 * checkBar(BARS.pluginIdle, 0.97).verdict;                       // 'FAIL'
 * checkBar(BARS.pluginIdle, undefined, 'plugin missing').verdict; // 'SKIP'
 */
export function checkBar(bar: Bar, measured: number | undefined, note?: string): BarCheck {
  if (measured === undefined || !Number.isFinite(measured)) {
    return { bar, measured: undefined, verdict: 'SKIP', note: note ?? 'not measured in this run' };
  }
  const pass = bar.comparison === 'at most' ? measured <= bar.limit : measured >= bar.limit;
  return { bar, measured, verdict: pass ? 'PASS' : 'FAIL', ...(note === undefined ? {} : { note }) };
}

/**
 * Flags a check whose figure was measured in conditions that make it untrustworthy. The verdict
 * stands (a noisy FAIL still fails the run) but is printed as noisy, with the reason.
 *
 * @example
 * markNoisy(checkBar(BARS.pluginIdle, 1.36), 'the servers used under 85 % of a core');
 */
export function markNoisy(check: BarCheck, reason: string): BarCheck {
  return { ...check, noisy: reason };
}

/**
 * A figure in the unit of its bar.
 *
 * @example
 * formatBarFigure(BARS.sendWithOneReceiver, 1.234); // '1.23×'
 */
export function formatBarFigure(bar: Bar, value: number | undefined): string {
  switch (bar.unit) {
    case 'ns':
      return formatNs(value);
    case 'bytes per op':
      return formatBytes(value);
    case 'heap growth':
      return formatBytes(value, true);
    case 'ratio':
      return formatRatio(value);
  }
}

/**
 * The bar as the table prints it, e.g. `≤ 1.50×`.
 *
 * @example
 * describeLimit(BARS.pluginIdle); // '≥ 0.98×'
 */
export function describeLimit(bar: Bar): string {
  const sign = bar.comparison === 'at most' ? '≤' : '≥';
  // A limit is a size, not a growth: no sign.
  const limit = bar.unit === 'heap growth' ? formatBytes(bar.limit) : formatBarFigure(bar, bar.limit);
  return `${sign} ${limit}`;
}

/**
 * True when no bar failed (stretch goals and skipped bars do not count).
 *
 * @example
 * allRequiredBarsPass([checkBar(BARS.pluginIdle, 0.99)]); // true
 */
export function allRequiredBarsPass(checks: readonly BarCheck[]): boolean {
  return checks.every((check) => check.verdict !== 'FAIL' || check.bar.stretch === true);
}

function bar(id: string, what: string, comparison: Bar['comparison'], limit: number, unit: BarUnit): Bar {
  return { id, what, comparison, limit, unit };
}
