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
function survivorResults<Result>(...scenario: string[]): Promise<Result[]> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [CHILD, libDir, ...scenario],
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

  describe('a receiver response whose then cannot be read (issue 9 #1), over a real socket, with and without awaitStart', () => {
    type Result = {
      value: string;
      awaitStart: boolean;
      ok: { status: number; body: string };
      failsStatus: number;
      outcomes: string[];
      laterSaw: string[];
      reported: string[];
    };
    const HOSTILE_RESPONSES = [
      'a then getter that throws',
      'a Proxy whose every trap throws',
      'a revoked Proxy',
      'a Promise whose constructor getter throws',
    ];

    /**
     * Every hostile response, with and without awaitStart: GET /ok answered 200 'ok', GET /fails
     * answered 500, outcomes completed then errored, the later receiver saw `laterSaw`. A value
     * whose `then` cannot be read is no thenable: just a response, nothing to report. The Promise
     * whose `constructor` throws is a thenable whose rejection cannot be followed (a native
     * `then` reads it): reported once per event, as `await` would fail on it.
     */
    function expectUnharmed(results: Result[], laterSaw: string[]): void {
      expect(results.map(({ value, awaitStart }) => `${value}${awaitStart ? ' (awaitStart)' : ''}`)).toEqual(
        HOSTILE_RESPONSES.flatMap((value) => [value, `${value} (awaitStart)`]),
      );
      for (const result of results) {
        const reported = result.value.includes('constructor') ? laterSaw.map(() => 'hostile: do not touch') : [];
        expect(result).toEqual({
          ...result,
          ok: { status: 200, body: 'ok' },
          failsStatus: 500,
          outcomes: ['completed', 'errored'],
          laterSaw,
          reported,
        });
      }
    }

    it("from requestStarted (regression: reading then threw in the onRequest hook: a 500; under awaitStart, Promise.resolve read a Promise's constructor there: a 500): the responses are unchanged, later receivers run", async () => {
      expectUnharmed(await survivorResults<Result>('hostile-responses', 'requestStarted'), ['started', 'started']);
    });

    it('from gotRequestException (regression: reading then threw out of the onError hook and the exception never reached later receivers): every later receiver gets the exception', async () => {
      expectUnharmed(await survivorResults<Result>('hostile-responses', 'gotRequestException'), ['handler failed']);
    });

    it("from requestFinished (regression: reading then threw out of the response's 'close' listener: uncaught exception, the process died): the process lives, later receivers get the finish", async () => {
      expectUnharmed(await survivorResults<Result>('hostile-responses', 'requestFinished'), ['completed', 'errored']);
    });
  });

  it('a receiver error the logger cannot serialize (regression, issue 9 #6: the log call threw and the report was lost): logged by its description, with the signal and receiver names, also for a receiver whose name cannot be read', async () => {
    const [result] = await survivorResults<{
      status: number;
      outcomes: string[];
      logged: { signal: string; receiver: string; error: string }[];
    }>('hostile-logging');

    expect(result).toEqual({
      status: 200,
      outcomes: ['completed'],
      logged: [
        { signal: 'requestStarted', receiver: 'throwsAProxy', error: 'an object (its description failed)' },
        { signal: 'requestStarted', receiver: 'throwsAnErrorProxy', error: 'an Error (its description failed)' },
        { signal: 'requestFinished', receiver: '<anonymous>', error: 'from a receiver whose name cannot be read' },
        { signal: 'requestFinished', receiver: 'proxied', error: 'from a Proxy receiver' },
      ],
    });
  });
});
