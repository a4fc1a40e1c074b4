/**
 * Receivers that throw, reject or return values nobody can read safely (a `then` getter that
 * throws, Proxies, objects without `toString`), against a real Fastify app with the plugin.
 *
 * Why a child process: Jest installs its own process-level handlers, which hide exactly what we
 * need to see (an unhandled rejection that would kill a Node process). Each scenario runs in a
 * plain `node` process with Node's default behaviour and prints what it saw.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileLib } from '../core/support/compile-lib';

const CHILD = resolve(__dirname, 'support/hostile-child.js');
const NODE_MODULES = resolve(__dirname, '../../node_modules');

let libDir: string;

beforeAll(() => {
  libDir = mkdtempSync(join(tmpdir(), 'rx-signals-hostile-'));
  compileLib(['fastify/index', 'core/receiver-errors'], libDir);
});

afterAll(() => rmSync(libDir, { recursive: true, force: true }));

/** Runs a scenario of hostile-child.js and returns its results, or fails with why the child died. */
function survivorResults<Result>(scenario: string): Promise<Result[]> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [CHILD, libDir, scenario],
      // NODE_PATH lets the compiled lib, outside the repo, require fastify and rxjs.
      { env: { ...process.env, NODE_PATH: NODE_MODULES }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error || !stdout.includes('"survived":true')) {
          fail(new Error(`the child did not survive (${error?.message ?? 'no result'}):\n${stderr}${stdout}`));
          return;
        }
        done((JSON.parse(stdout.trim()) as { results: Result[] }).results);
      },
    );
  });
}

const HOSTILE_VALUES = [
  'Object.create(null)',
  'a throwing toString',
  'a throwing Symbol.toPrimitive',
  'a Proxy whose every trap throws',
  'a revoked Proxy',
  'a Proxy of an Error whose getters throw',
];

describe('hostile receivers against a real app (child processes, Node default error handling)', () => {
  it("startErrors: 'fail' with a receiver failing with an unreadable value (regression: String(value) threw in an awaitStart callback: unhandled rejection, process exit, no answer): answered 500, finished 'errored', reported", async () => {
    const results = await survivorResults<{
      value: string;
      mode: string;
      status: number;
      outcomes: string[];
      reports: number;
    }>('start-fail-rejections');

    expect(results.map(({ value, mode }) => `${value} (${mode})`)).toEqual(
      HOSTILE_VALUES.flatMap((value) => [`${value} (async, awaitStart)`, `${value} (sync)`]),
    );
    for (const result of results) {
      expect({ ...result, status: result.status, outcomes: result.outcomes, reports: result.reports }).toEqual({
        ...result,
        status: 500,
        outcomes: ['errored'],
        reports: 1,
      });
    }
  });
});
