/**
 * Error isolation, proven at the process level: no receiver error, rejected receiver Promise,
 * operator error, or error of a receiver called later (delay, debounce, resumed pause) ever
 * reaches `uncaughtException` or `unhandledRejection`.
 *
 * Why a child process: Jest installs its own process-level handlers, which can hide exactly what
 * we need to see. Each scenario runs in a plain `node` process with Node's default behaviour (an
 * uncaught exception or unhandled rejection kills it), waits past RxJS's `setTimeout` rethrow and
 * Node's unhandled-rejection check, then prints what `receiverErrors` reported. The controls
 * prove the detector fails on unprotected RxJS code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileLib } from './support/compile-lib';

const CHILD = resolve(__dirname, 'support/isolation-child.js');
const NODE_MODULES = resolve(__dirname, '../../node_modules');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

let libDir: string;

beforeAll(() => {
  libDir = mkdtempSync(join(tmpdir(), 'rx-signals-isolation-'));
  compileLib(['core/signal', 'core/receiver-errors', 'core/pausable'], libDir);
});

afterAll(() => rmSync(libDir, { recursive: true, force: true }));

function runScenario(scenario: string): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CHILD, libDir, scenario],
      // NODE_PATH lets the compiled core, outside the repo, require rxjs.
      { env: { ...process.env, NODE_PATH: NODE_MODULES }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** The reports the child printed, or a failure that shows why it did not survive. */
function survivorReports(outcome: Outcome): string[] {
  if (outcome.code !== 0 || !outcome.stdout.includes('"survived":true')) {
    throw new Error(`the child did not survive (exit code ${outcome.code}):\n${outcome.stderr}${outcome.stdout}`);
  }
  return (JSON.parse(outcome.stdout.trim()) as { reports: string[] }).reports;
}

describe('error isolation (child processes, Node default error handling)', () => {
  it.each<[string, string[]]>([
    ['send-robust-throw', ['robust receiver']],
    [
      'send-rejected-promise',
      ['send: rejected at once', 'send: rejected at once', 'send: rejected later', 'send: rejected later'],
    ],
    [
      'asend-failures',
      // asend: the earliest failure went to the caller, the later two are reported; asendRobust: all three.
      ['asend: later, sync', 'asend: later, async', 'asend: earliest', 'asend: later, sync', 'asend: later, async'],
    ],
    ['operator-error', ['operator during send', 'operator during robust send', 'operator during asend']],
    ['operator-error-later', ['operator after a delay']],
    ['receiver-called-later', ['after a delay', 'after a debounce', 'rejected after a delay']],
    ['resumed-pause', ['on resume', 'paused$ errored', 'rejected on resume']],
  ])('%s: the process survives and every failure is reported', async (scenario, expected) => {
    const outcome = await runScenario(scenario);
    expect(survivorReports(outcome).sort()).toEqual([...expected].sort());
    expect(outcome.stderr).toBe('');
  });

  it('hostile-responses: responses whose then cannot be read never throw out of a send, now or later (issue 9 #1)', async () => {
    const outcome = await runScenario('hostile-responses');
    // asend: 6 failures (3 plain, 3 piped), the first thrown; asendRobust: 6 reported. The sends
    // that do not await (send, sendRobust, deliveries later) keep such a response as is.
    expect(survivorReports(outcome)).toEqual([
      "asend: Cannot perform 'get' on a proxy that has been revoked; 11 reported; later receivers called 4 times; 13 connections left",
    ]);
    expect(outcome.stderr).toBe('');
  });

  it('hostile-receiver-name: a receiver whose name cannot be read is still reported by the console.error fallback (issue 9 #6)', async () => {
    const outcome = await runScenario('hostile-receiver-name');
    expect(survivorReports(outcome)).toEqual([]);
    expect(outcome.stderr).toContain('rx-signals: receiver <anonymous> of signal "badly-named" failed');
    expect(outcome.stderr).toContain('badly named receiver');
    expect(outcome.stderr).toContain('proxied receiver');
  });

  it('with nobody subscribed to receiverErrors, failures go to console.error and the process survives', async () => {
    const outcome = await runScenario('no-report-subscriber');
    expect(survivorReports(outcome)).toEqual([]);
    expect(outcome.stderr).toContain('rx-signals: receiver <anonymous> of signal "unobserved" failed');
    expect(outcome.stderr).toContain('unobserved receiver');
    expect(outcome.stderr).toContain('unobserved operator');
  });
});

describe('the detector fails on unprotected code (controls)', () => {
  it.each<[string, string]>([
    ['control-raw-subject-pipe', 'raw subject pipe'],
    // Raw Observable subscribers of a signal follow RxJS's rules, not a connection's.
    ['control-raw-signal-pipe', 'raw signal pipe'],
    ['control-unhandled-rejection', 'unhandled rejection'],
    // A receiverErrors subscriber is a raw RxJS observer too: one that throws is rethrown by RxJS.
    ['report-subscriber-throws', 'a receiverErrors subscriber failed'],
  ])('%s kills the process', async (scenario, message) => {
    const outcome = await runScenario(scenario);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain(message);
  });
});
