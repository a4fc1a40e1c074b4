/**
 * A diagnostics-channel subscriber that throws follows Node's rule: Node reports the error as an
 * uncaught exception on the next tick. It never stops a send, skips a receiver, or changes what a
 * send returns. Proven in child processes (Jest's own process-level handlers would hide the
 * uncaught exceptions), once per channel and phase.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileLib } from './support/compile-lib';

const CHILD = resolve(__dirname, 'support/tracing-child.js');
const NODE_MODULES = resolve(__dirname, '../../node_modules');

interface ChildResult {
  ran: string[];
  sent: number[];
  uncaught: string[];
  reports: string[];
  calls: string[];
}

let libDir: string;

beforeAll(() => {
  libDir = mkdtempSync(join(tmpdir(), 'rx-signals-tracing-'));
  compileLib(['core/index'], libDir);
});

afterAll(() => rmSync(libDir, { recursive: true, force: true }));

function runScenario(scenario: string): Promise<ChildResult> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [CHILD, libDir, scenario],
      { env: { ...process.env, NODE_PATH: NODE_MODULES }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) fail(new Error(`the child failed (${error.message}):\n${stderr}${stdout}`));
        else done(JSON.parse(stdout.trim()) as ChildResult);
      },
    );
  });
}

const EVERY_RECEIVER_RAN = [
  'first 1',
  'first 2',
  'first 3',
  'second 1',
  'second 2',
  'second 3',
  'third 1',
  'third 2',
  'third 3',
];

describe('a throwing channel subscriber (child processes)', () => {
  it.each<[scenario: string, uncaught: number]>([
    // One send message per send.
    ['send', 3],
    // start, end: one per call (9 calls); asyncStart, asyncEnd: one per Promise response (3).
    ['receiver-start', 9],
    ['receiver-end', 9],
    ['receiver-asyncStart', 3],
    ['receiver-asyncEnd', 3],
    // error: 'second rejected' and 'third threw'.
    ['receiver-error', 2],
    // A store's transform runs on every start.
    ['store-transform', 9],
  ])(
    '%s: every receiver runs, sends return in full, Node reports each throw as uncaught',
    async (scenario, uncaught) => {
      const result = await runScenario(scenario);
      expect(result.ran).toEqual(EVERY_RECEIVER_RAN);
      expect(result.sent).toEqual([3, 3, 3]);
      expect(result.reports).toEqual(['second rejected', 'third threw']);
      expect(result.calls).toEqual(['first 3/0', 'second 3/1', 'third 3/1']);
      expect(result.uncaught).toHaveLength(uncaught);
      expect(new Set(result.uncaught).size).toBe(1);
      expect(result.uncaught[0]).toMatch(/^subscriber threw on /);
    },
  );
});
