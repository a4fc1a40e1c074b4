/**
 * The bench harness's pure parts, so that `npm run bench` cannot silently rot: the statistics,
 * the verdicts, the tables and the command line. (The timings themselves are never asserted:
 * speed is measured by `npm run bench`, not by tests.)
 */
import { BARS, allRequiredBarsPass, checkBar, describeLimit, formatBarFigure, markNoisy } from '../../bench/bars';
import { formatBytes, formatNs, formatPercent, formatRate, formatRatio } from '../../bench/format';
import { summarizeMacro, type MacroRun } from '../../bench/macro/summary';
import { macroTable } from '../../bench/macro/report';
import { roundOrder } from '../../bench/macro/rounds';
import { microBars, type MicroFigure } from '../../bench/micro/figures';
import { manyShapesTable } from '../../bench/micro/report';
import { observabilityBars, observabilityTable } from '../../bench/micro/observability';
import { SECTIONS, parseOptions, planFor } from '../../bench/options';
import { barsTable } from '../../bench/report';
import { median, pairedRatio, ratio, spread } from '../../bench/stats';
import { markdownTable } from '../../bench/table';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is not moved by one disturbed run, unlike a mean', () => {
    expect(median([10, 11, 12, 1000])).toBe(11.5);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects an empty array and NaN with a TypeError that says what to do', () => {
    expect(() => median([])).toThrow(
      new TypeError('median(values): values must be a non-empty array of numbers, got an empty array.'),
    );
    expect(() => median([1, Number.NaN])).toThrow(/Drop failed runs before taking the median/);
  });
});

describe('ratio and spread', () => {
  it('divides a figure by its reference', () => {
    expect(ratio(150, 100)).toBe(1.5);
  });

  it('is NaN, never a number, when a side is missing or the reference is not positive', () => {
    expect(ratio(undefined, 10)).toBeNaN();
    expect(ratio(10, undefined)).toBeNaN();
    expect(ratio(10, 0)).toBeNaN();
    expect(ratio(Number.NaN, 10)).toBeNaN();
  });

  it('pairs rounds: the median of round-by-round ratios, so a slow round slows both sides of one ratio', () => {
    // Medians alone would give 60 / 50 = 1.2: ours from a slow round, the reference from a fast one.
    expect(pairedRatio([40, 60, 90], [50, 45, 95])).toBeCloseTo(0.947, 3);
    expect(pairedRatio([10], [0])).toBeNaN();
    expect(pairedRatio([10, 20], [10])).toBeNaN();
    expect(pairedRatio(undefined, [10])).toBeNaN();
    expect(pairedRatio([], [])).toBeNaN();
  });

  it('measures the spread of runs relative to their median', () => {
    expect(spread([90, 100, 110])).toBeCloseTo(0.2);
    expect(spread([100, 100])).toBe(0);
  });
});

describe('formats', () => {
  it('writes nanoseconds with digits that match their size', () => {
    expect(formatNs(1.234)).toBe('1.23 ns');
    expect(formatNs(87.65)).toBe('87.7 ns');
    expect(formatNs(1234.4)).toBe('1,234 ns');
  });

  it('writes what was not measured as n/a', () => {
    for (const format of [formatNs, formatRatio, formatBytes, formatRate, formatPercent]) {
      expect(format(Number.NaN)).toBe('n/a');
      expect(format(undefined)).toBe('n/a');
    }
  });

  it('writes ratios, rates, percentages and sizes', () => {
    expect(formatRatio(0.9749)).toBe('0.97×');
    expect(formatRate(87012.6)).toBe('87,013');
    expect(formatPercent(0.973)).toBe('97 %');
    expect(formatBytes(0.06)).toBe('0.06 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(-3 * 1024 ** 2, true)).toBe('-3.00 MB');
    expect(formatBytes(512 * 1024, true)).toBe('+512.0 KB');
  });
});

describe('markdownTable', () => {
  it('pads columns, left-aligns the first and right-aligns the others', () => {
    expect(
      markdownTable(
        ['case', 'ns/op'],
        [
          ['send, 0 receivers', '1.20 ns'],
          ['send', '57 ns'],
        ],
      ),
    ).toBe(
      [
        '| case              |   ns/op |',
        '| :---------------- | ------: |',
        '| send, 0 receivers | 1.20 ns |',
        '| send              |   57 ns |',
      ].join('\n'),
    );
  });

  it('escapes a | inside a cell so that the table keeps its columns', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']]).split('\n')[2]).toBe('| x\\|y |    1 |');
  });

  it('rejects a row with the wrong number of cells, saying which', () => {
    expect(() => markdownTable(['a', 'b'], [['1', '2'], ['3']])).toThrow(/row 1 has 1 cells but there are 2 headers/);
    expect(() => markdownTable([], [])).toThrow(TypeError);
  });
});

describe('bars', () => {
  it('passes a figure on the right side of the limit, limit included, and fails the others', () => {
    expect(checkBar(BARS.sendWithOneReceiver, 1).verdict).toBe('PASS');
    expect(checkBar(BARS.sendWithOneReceiver, 1.01).verdict).toBe('FAIL');
    expect(checkBar(BARS.sendWithTenReceivers, 1).verdict).toBe('PASS');
    expect(checkBar(BARS.sendWithTenReceivers, 1.01).verdict).toBe('FAIL');
    expect(checkBar(BARS.pluginIdle, 0.98).verdict).toBe('PASS');
    expect(checkBar(BARS.pluginIdle, 0.979).verdict).toBe('FAIL');
  });

  it('skips, never passes, a figure that was not measured', () => {
    expect(checkBar(BARS.pluginBusy, undefined, 'plugin missing')).toEqual({
      bar: BARS.pluginBusy,
      measured: undefined,
      verdict: 'SKIP',
      note: 'plugin missing',
    });
    expect(checkBar(BARS.pluginBusy, Number.NaN).verdict).toBe('SKIP');
  });

  it('fails the run on a failed bar, but not on a failed stretch goal or a skipped bar', () => {
    expect(allRequiredBarsPass([checkBar(BARS.pluginIdle, 0.99), checkBar(BARS.pluginBusy, undefined)])).toBe(true);
    expect(allRequiredBarsPass([checkBar(BARS.pluginIdleVsPlain, 0.5)])).toBe(true);
    expect(allRequiredBarsPass([checkBar(BARS.pluginIdle, 0.5)])).toBe(false);
  });

  it('prints figures and limits in the unit of the bar', () => {
    expect(describeLimit(BARS.sendWithoutReceiversTime)).toBe('≤ 2.00 ns');
    expect(describeLimit(BARS.pluginIdle)).toBe('≥ 0.98×');
    expect(describeLimit(BARS.connectCyclesHeap)).toBe('≤ 1.00 MB');
    expect(formatBarFigure(BARS.connectCyclesHeap, 2048)).toBe('+2.0 KB');
    expect(formatBarFigure(BARS.sendWithoutReceiversAllocation, 0.06)).toBe('0.06 B');
  });

  it('renders verdicts as a table, marking a missed stretch goal and a noisy figure as such', () => {
    const table = barsTable([
      checkBar(BARS.pluginIdle, 0.99),
      checkBar(BARS.pluginIdleVsPlain, 0.9),
      markNoisy(checkBar(BARS.pluginBusy, 1.2, 'per server CPU second: 0.97×'), 'servers under 85 % CPU: hooks'),
    ]);
    expect(table).toContain('| req/s: plugin, no receivers ÷ two no-op hooks');
    expect(table).toMatch(/0\.99× \| +≥ 0\.98× \| +PASS \|/);
    expect(table).toMatch(/0\.90× \| +≥ 0\.97× \| +FAIL \(stretch\) \|/);
    expect(table).toMatch(
      /1\.20× \| +≥ 0\.95× \| +PASS \(noisy\) \| per server CPU second: 0\.97×; servers under 85 % CPU: hooks \|/,
    );
  });
});

describe('microBars', () => {
  const figure = (id: string, nsPerOp: number, bytesPerOp = 0): MicroFigure => ({
    id,
    label: id,
    receivers: 0,
    nsPerOp,
    nsPerRound: [nsPerOp],
    bytesPerOp,
  });

  it('takes the send ratios within the run: ours over Subject.next, bound over 1 receiver', () => {
    const checks = microBars([
      figure('harness/empty', 0.5),
      figure('peer/eventemitter3/0', 5.8),
      figure('peer/rx-signals send/0', 1.8, 0.06),
      figure('peer/rx-signals send/1', 27),
      figure('peer/Subject.next/1', 30),
      figure('peer/rx-signals send/10', 200),
      figure('peer/Subject.next/10', 100),
      figure('bound/rx-signals send/1000', 64),
    ]);
    expect(checks.map((check) => [check.bar.id, check.measured, check.verdict])).toEqual([
      ['sendWithoutReceiversTime', 1.8, 'PASS'],
      ['sendWithoutReceiversAllocation', 0.06, 'PASS'],
      ['sendWithOneReceiver', 27 / 30, 'PASS'],
      ['sendWithTenReceivers', 2, 'FAIL'],
      ['senderIndex', 64 / 27, 'PASS'],
    ]);
    expect(checks[0].note).toBe(
      'the harness alone: 0.50 ns; eventemitter3, 0 listeners: 5.80 ns (3.60 ns idle, docs/benchmarks.md)',
    );
  });

  it('skips the bars whose figures are missing', () => {
    expect(microBars([]).map((check) => check.verdict)).toEqual(['SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP']);
  });

  it('gives the send to nobody in an app of many payload shapes in the note of its bar, not as the figure', () => {
    const [time] = microBars([figure('peer/rx-signals send/0', 1.8), figure('shapes/peer/rx-signals send/0', 7.9)]);
    expect([time.measured, time.verdict, time.note]).toEqual([
      1.8,
      'PASS',
      'in an app of many payload shapes: 7.90 ns',
    ]);
  });

  it('gives the reference send that only checks its receiver count in the note, with our send over it round by round', () => {
    const rounds = (id: string, nsPerRound: number[]): MicroFigure => ({ ...figure(id, nsPerRound[1]), nsPerRound });
    const [time] = microBars([rounds('peer/rx-signals send/0', [3.3, 3.4, 1.7]), rounds('floor/0', [3.0, 3.4, 1.7])]);
    expect([time.measured, time.verdict, time.note]).toEqual([
      3.4,
      'FAIL',
      'a send that only checks its receiver count: 3.40 ns (rx-signals: 1.00× that)',
    ]);
  });
});

describe('sends in an app of many payload shapes', () => {
  it('prints each case beside the same case of the main run, and the 1-receiver send over Subject.next in both', () => {
    const figure = (id: string, label: string, nsPerRound: number[]): MicroFigure => ({
      id,
      label,
      receivers: 1,
      nsPerOp: median(nsPerRound),
      nsPerRound,
      bytesPerOp: 176,
    });
    const rows = manyShapesTable([
      figure('peer/rx-signals send/1', 'rx-signals send', [30, 60]),
      figure('peer/Subject.next/1', 'Subject.next', [30, 40]),
      figure('shapes/peer/rx-signals send/1', 'rx-signals send, 1 receiver', [40, 44]),
      figure('shapes/peer/Subject.next/1', 'Subject.next, 1 receiver', [40, 40]),
    ])
      .split('\n')
      .slice(2);
    expect(rows[0]).toMatch(/^\| rx-signals send, 1 receiver +\| +42.0 ns \| +176 B \| +45.0 ns \|$/);
    expect(rows[2]).toMatch(/^\| send ÷ Subject.next, 1 receiver +\| +1.05× \| +\| +1.25× \|$/);
  });
});

describe('observability figures', () => {
  const figure = (id: string, receivers: number, nsPerOp: number, bytesPerOp = 0): MicroFigure => ({
    id: `observability/${id}`,
    label: id,
    receivers,
    nsPerOp,
    nsPerRound: [nsPerOp],
    bytesPerOp,
  });
  const figures = [
    figure('send, 0 receivers, nobody observing', 0, 1.5, 0.06),
    figure('send, 0 receivers, nobody observing any more (after 20 subscribe/unsubscribe cycles)', 0, 1.9, 0.06),
    figure('send, 0 receivers, rx-signals:send subscribed', 0, 60, 120),
    figure('send, 1 receiver, nobody observing', 1, 30),
    figure('send, 1 receiver, profiled', 1, 66),
  ];

  it('checks the unobserved empty send absolutely and the profiled send against the unprofiled one', () => {
    expect(observabilityBars(figures).map((check) => [check.bar.id, check.measured, check.verdict])).toEqual([
      ['unobservedEmptySendTime', 1.9, 'PASS'],
      ['unobservedEmptySendAllocation', 0.06, 'PASS'],
      ['profiledSend', 2.2, 'FAIL'],
    ]);
    expect(observabilityBars([]).map((check) => check.verdict)).toEqual(['SKIP', 'SKIP', 'SKIP']);
  });

  it('prints each case against the same send with nobody observing, n/a for cases not run', () => {
    const rows = observabilityTable(figures).split('\n').slice(2);
    expect(rows[1]).toMatch(/cycles\) +\| +1.90 ns \| +0.06 B \| +1.27× \|$/);
    expect(rows[2]).toMatch(/^\| send, 0 receivers, rx-signals:send subscribed +\| +60.0 ns \| +120 B \| +40.00× \|$/);
    expect(rows[5]).toMatch(/profiled +\| +66.0 ns \| .* \| +2.20× \|$/);
    expect(rows[7]).toMatch(/\| +n\/a \| +n\/a \| +n\/a \|$/);
  });
});

describe('roundOrder', () => {
  it('loads the servers as listed in odd rounds and in reverse in even ones, so neighbours swap places', () => {
    const servers = ['plain', 'hooks', 'plugin-busy', 'panel-open'];
    expect(roundOrder(servers, 1)).toEqual(servers);
    expect(roundOrder(servers, 2)).toEqual(['panel-open', 'plugin-busy', 'hooks', 'plain']);
    expect(roundOrder(servers, 3)).toEqual(servers);
    expect(servers).toEqual(['plain', 'hooks', 'plugin-busy', 'panel-open']); // not reversed in place
  });
});

describe('summarizeMacro', () => {
  /**
   * A run of `seconds` seconds at `requestsPerSecond`, with the server using `cpuFraction` of a
   * core, `systemFraction` of it in the kernel.
   */
  const run = (
    variant: MacroRun['variant'],
    round: number,
    requestsPerSecond: number,
    {
      cpuFraction = 0.98,
      systemFraction = 0.38,
      seconds = 4,
      invalid,
    }: { cpuFraction?: number; systemFraction?: number; seconds?: number; invalid?: string } = {},
  ): MacroRun => ({
    variant,
    round,
    requestsPerSecond,
    responses: requestsPerSecond * seconds,
    serverCpuSeconds: cpuFraction * seconds,
    serverSystemSeconds: systemFraction * seconds,
    cpuFraction,
    ...(invalid ? { invalid } : {}),
  });

  it('takes medians over rounds and ratios against the no-op-hooks server and plain Fastify', () => {
    const { figures, warnings } = summarizeMacro([
      run('plain', 1, 100),
      run('hooks', 1, 90),
      run('plain', 2, 50),
      run('hooks', 2, 45),
      run('plain', 3, 110),
      run('hooks', 3, 92),
    ]);
    expect(warnings).toEqual([]);
    const hooks = figures.find((figure) => figure.variant === 'hooks')!;
    expect(hooks.medianRequestsPerSecond).toBe(90);
    expect(hooks.versusPlain).toBe(0.9);
    expect(hooks.versusHooks).toBe(1);
    expect(hooks.validRuns).toBe(3);
    expect(hooks.medianRequestsPerCpuSecond).toBeCloseTo(90 / 0.98);
  });

  it("splits the server's CPU per request between its own code (user) and the kernel (system)", () => {
    const { figures } = summarizeMacro([
      run('plain', 1, 40_000, { cpuFraction: 0.96, systemFraction: 0.36 }), // 15 µs user, 9 µs system
      run('plain', 2, 20_000, { cpuFraction: 0.96, systemFraction: 0.36 }), // a slow spell: 30 and 18 µs
      run('plain', 3, 40_000, { cpuFraction: 1, systemFraction: 0.4 }), // 15 and 10 µs
    ]);
    const plain = figures.find((figure) => figure.variant === 'plain')!;
    expect(plain.medianUserMicrosPerRequest).toBeCloseTo(15);
    expect(plain.medianSystemMicrosPerRequest).toBeCloseTo(10);
    const table = macroTable(figures);
    expect(table).toMatch(/\| user µs\/req \| system µs\/req \|/);
    expect(table).toMatch(/\|\s+15\.0 \|\s+10\.0 \|/);
  });

  it('pairs the rounds: a slow spell of the machine during one run moves one pair, not the ratio', () => {
    const { bars } = summarizeMacro([
      run('hooks', 1, 100),
      run('plugin-busy', 1, 58), // the machine slowed down for this run only
      run('hooks', 2, 100),
      run('plugin-busy', 2, 97),
      run('hooks', 3, 60), // and for this whole round
      run('plugin-busy', 3, 58),
    ]);
    // The medians alone (100 and 58) would say 0.58.
    expect(bars[1].measured).toBeCloseTo(58 / 60);
    expect(bars[1].verdict).toBe('PASS');
  });

  it('checks the plugin bars on req/s ratios and gives the per-CPU ratio in the note', () => {
    const { bars } = summarizeMacro([
      run('plain', 1, 100),
      run('hooks', 1, 90),
      run('plugin-idle', 1, 89),
      run('plugin-busy', 1, 84),
      run('panel-open', 1, 80),
    ]);
    expect(bars.map((check) => [check.bar.id, check.verdict, check.noisy])).toEqual([
      ['pluginIdle', 'PASS', undefined],
      ['pluginBusy', 'FAIL', undefined],
      ['pluginIdleVsPlain', 'FAIL', undefined],
      ['panelOpen', 'PASS', undefined],
    ]);
    expect(bars[3].measured).toBeCloseTo(80 / 84); // against the same server without the panel
    expect(bars[0].measured).toBeCloseTo(89 / 90);
    expect(bars[0].note).toBe('per server CPU second: 0.99×');
  });

  it('reads throughput per second of server CPU, which holds still when a server is starved', () => {
    // The hooks server got half a core in round 2: its req/s halved, its work per CPU second did not.
    const { figures, bars, warnings } = summarizeMacro([
      run('hooks', 1, 90),
      run('plugin-idle', 1, 95),
      run('hooks', 2, 45, { cpuFraction: 0.49 }),
      run('plugin-idle', 2, 95),
      run('hooks', 3, 45, { cpuFraction: 0.49 }),
      run('plugin-idle', 3, 95),
    ]);
    const idle = figures.find((figure) => figure.variant === 'plugin-idle')!;
    expect(idle.versusHooks).toBeCloseTo(95 / 45);
    expect(idle.perCpuVersusHooks).toBeCloseTo(95 / 90);
    expect(bars[0].noisy).toBe('servers under 85 % CPU: hooks');
    expect(warnings).toEqual([expect.stringContaining('hooks: the server used 49 % of a core')]);
  });

  it('checks the panel bar on its own rounds of fresh process pairs when there are any', () => {
    const pairRun = (
      variant: MacroRun['variant'],
      round: number,
      pair: number,
      requestsPerSecond: number,
      invalid?: string,
    ) => ({
      ...run(variant, round, requestsPerSecond, { seconds: 3, ...(invalid ? { invalid } : {}) }),
      pair,
    });
    const { bars, figures, runs, warnings } = summarizeMacro([
      run('plugin-busy', 1, 100),
      run('panel-open', 1, 60), // one process of the main rounds drew slow code: 0.60
      pairRun('plugin-busy', 2, 1, 100),
      pairRun('panel-open', 2, 1, 95),
      pairRun('plugin-busy', 3, 1, 50), // a slow spell of the machine slows both sides of a round
      pairRun('panel-open', 3, 1, 46),
      pairRun('plugin-busy', 4, 2, 100),
      pairRun('panel-open', 4, 2, 80),
      pairRun('plugin-busy', 5, 2, 100),
      pairRun('panel-open', 5, 2, 94),
      pairRun('plugin-busy', 6, 2, 100),
      pairRun('panel-open', 6, 2, 1, '40 errors'),
    ]);
    // Ratios 0.95, 0.92 (pair 1), 0.80, 0.94 (pair 2); the invalid round pairs with nothing.
    expect(bars[3].measured).toBeCloseTo((0.92 + 0.94) / 2);
    expect(bars[3].verdict).toBe('PASS');
    expect(bars[3].note).toBe(
      'median of 4 alternated rounds on 2 fresh process pairs (each pair: 0.94×, 0.87×); ' +
        'per server CPU second: 0.93×; in the main rounds: 0.60×; ' +
        // Medians of the valid runs: user 6,941.5 µs against 6,000, system 4,396.3 against 3,800.
        "the page's extra CPU per request in the pairs: +941.5 µs user, +596.3 µs system",
    );
    expect(warnings).toEqual(['panel-open, pair 2, round 6: left out (40 errors)']);
    // The main table keeps to the main rounds; the results keep every run.
    expect(figures.find((figure) => figure.variant === 'panel-open')!.medianRequestsPerSecond).toBe(60);
    expect(runs).toHaveLength(12);
  });

  it('marks the panel bar noisy when a server of the pairs was starved, naming it', () => {
    const { bars } = summarizeMacro([
      { ...run('plugin-busy', 2, 100, { cpuFraction: 0.5 }), pair: 1 },
      { ...run('panel-open', 2, 95), pair: 1 },
    ]);
    expect(bars[3].measured).toBeCloseTo(0.95);
    expect(bars[3].noisy).toBe("servers under 85 % CPU in the pairs' rounds: plugin-busy");
  });

  it('leaves out runs with errors and warns about them', () => {
    const { figures, warnings } = summarizeMacro([run('plain', 1, 100), run('plain', 2, 10, { invalid: '3 errors' })]);
    expect(figures.find((figure) => figure.variant === 'plain')!.medianRequestsPerSecond).toBe(100);
    expect(warnings).toEqual(['plain, round 2: left out (3 errors)']);
  });

  it('skips the plugin bars when the plugin servers did not run, and reports receivers that did not run', () => {
    const { bars, warnings } = summarizeMacro([run('plain', 1, 100), run('hooks', 1, 90)], {
      responses: 10,
      startedCalls: 3,
      finishedCalls: 3,
      problem: 'plugin-busy: 3 receiver calls for 10 responses',
    });
    expect(bars.map((check) => check.verdict)).toEqual(['SKIP', 'SKIP', 'SKIP', 'SKIP']);
    expect(warnings).toEqual(['plugin-busy: 3 receiver calls for 10 responses']);
  });
});

describe('options', () => {
  it('runs every section by default and a few with --only', () => {
    expect(parseOptions([])).toEqual({ quick: false, soak: false, sections: SECTIONS, help: false });
    expect(parseOptions(['--quick', '--only=micro,memory']).sections).toEqual(['micro', 'memory']);
  });

  it('rejects an unknown flag or section with a message naming it and the choices', () => {
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option "--fast"\. Options are --quick, --soak/);
    expect(() => parseOptions(['--only=micro,speed'])).toThrow(
      /unknown sections speed\. Pick from micro, memory, macro, streams, client, redis/,
    );
    expect(() => parseOptions(['--only='])).toThrow(/names no section/);
    expect(() => parseOptions(['--soak', '--only=micro'])).toThrow(/--soak runs the soak alone/);
  });

  it('plans a short --quick run and a full default run that meets the sizes docs/benchmarks.md asks for', () => {
    const full = planFor(parseOptions([]));
    const quick = planFor(parseOptions(['--quick']));
    expect(full.connectCycles).toBe(1_000_000);
    expect(full.requestsInFlight).toBe(10_000);
    expect(full.soakRequests).toBeGreaterThanOrEqual(100_000);
    expect(full.macroRounds).toBeGreaterThanOrEqual(3);
    expect(quick.macroRounds * quick.macroSeconds).toBeLessThan(full.macroRounds * full.macroSeconds);
    expect(full.panelPairs * full.panelPairRounds).toBeGreaterThanOrEqual(12);
    expect(quick.panelPairs * quick.panelPairRounds * quick.panelPairSeconds).toBeLessThan(
      full.panelPairs * full.panelPairRounds * full.panelPairSeconds,
    );
  });
});
