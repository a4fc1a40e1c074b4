#!/usr/bin/env node
/**
 * `npm run test:fastify`: runs the test files that ship in the `fastify` package (the version the
 * project installs, `node --test` files) with `signalsPlugin` registered first on every instance
 * they make and counting receivers on the request signals (preload.cjs), and checks:
 *
 * (a) every test that passes without the plugin passes with it, except the named tests of
 *     known-differences.mjs (they assert Fastify's exact hook lists or plugin tree). A file with
 *     a failure is run again with the plugin (a flaky test must fail twice) and without it (the
 *     baseline): a test is a difference when it fails both times with the plugin and passes
 *     without it;
 * (b) the counters: no request started twice, finished twice, finished without a start, or given
 *     an exception after its finish (or without a start); every 'completed' had its response ended.
 *
 * Fastify's tests need its devDependencies: they live in this folder's package.json and lock, and
 * are installed here (`npm ci`) when missing or out of date, never in the project's own.
 * Files run in parallel, at most `--concurrency` at a time (default: twice the number of CPUs:
 * most of Fastify's tests wait on sockets and timers), each bounded by `--timeout` seconds (default 180). `--only=<substring>` runs the files
 * whose path contains it. Nothing is skipped silently: the summary lists every file that failed,
 * timed out or crashed, with or without the plugin.
 *
 * @example
 * // npm run test:fastify
 * // npm run test:fastify -- --only=hooks --concurrency=1
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KNOWN_DIFFERENCES, NOT_RUN } from './known-differences.mjs';

const SUITE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(SUITE, '..', '..');
const FASTIFY = join(SUITE, 'node_modules', 'fastify');
const options = parseArguments(process.argv.slice(2));
const log = (line) => console.error(`  … ${line}`);

installSuite();
checkFastifyVersion();
log('building lib (tsc -p tsconfig.run.json)');
execFileSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.run.json')],
  {
    stdio: 'inherit',
  },
);
const work = mkdtempSync(join(tmpdir(), 'rx-signals-fastify-suite-'));
const started = Date.now();
try {
  process.exitCode = await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  const files = testFiles(join(FASTIFY, 'test'))
    .map((file) => relative(FASTIFY, file))
    .filter((file) => file.includes(options.only) && !NOT_RUN.some((entry) => entry.file === file));
  log(`${files.length} test files, ${options.concurrency} at a time, with the plugin`);
  const withPlugin = await runAll(files, 'plugin');
  const failing = files.filter((file) => !withPlugin.get(file).ok);
  log(`${failing.length} files with failures: again with the plugin, and without it`);
  const again = await runAll(failing, 'plugin-again');
  const baseline = await runAll(failing, 'off');

  const differences = [];
  const failingBoth = [];
  for (const file of failing) {
    const first = withPlugin.get(file);
    const second = again.get(file);
    const base = baseline.get(file);
    for (const [name, result] of first.tests) {
      if (result.result !== 'fail') continue;
      if (second.tests.get(name)?.result !== 'fail') continue; // flaky: passed on its second run
      if (base.tests.get(name)?.result === 'fail') failingBoth.push({ file, name, error: result.error });
      else differences.push({ file, name, error: result.error, without: base.tests.get(name)?.result ?? 'not run' });
    }
    // A file that crashed or timed out with the plugin twice but not without it is a difference too.
    if (first.problem && second.problem && !base.problem) {
      differences.push({ file, name: '(the whole file)', error: first.problem, without: 'ran' });
    }
    if (first.problem && base.problem) failingBoth.push({ file, name: '(the whole file)', error: first.problem });
  }

  const known = differences.filter((difference) => knownDifference(difference) !== undefined);
  const unexpected = differences.filter((difference) => knownDifference(difference) === undefined);
  const stale = KNOWN_DIFFERENCES.filter(
    (entry) => files.includes(entry.file) && !known.some((difference) => knownDifference(difference) === entry),
  );
  const counts = sumCounts([...withPlugin.values()].map((run) => run.counts));
  const violations = counterViolations(counts);
  const tests = [...withPlugin.values()].reduce(
    (sum, run) => {
      for (const { result } of run.tests.values()) sum[result] = (sum[result] ?? 0) + 1;
      return sum;
    },
    { pass: 0, fail: 0, skip: 0, todo: 0 },
  );

  console.log(`\n# Fastify ${fastifyVersion(FASTIFY)}'s own tests with signalsPlugin registered first\n`);
  console.log(
    `${files.length} files, ${tests.pass} passed, ${tests.fail} failed, ${tests.skip} skipped, ${tests.todo} todo (first run with the plugin), ${Math.round((Date.now() - started) / 1000)} s`,
  );
  for (const entry of NOT_RUN) console.log(`Not run: ${entry.file}: ${entry.reason}`);
  console.log(`\n## (a) Tests that pass without the plugin and fail with it\n`);
  for (const difference of known) {
    console.log(`- expected: ${difference.file} "${difference.name}": ${knownDifference(difference).reason}`);
  }
  for (const difference of unexpected) {
    console.log(
      `- UNEXPECTED: ${difference.file} "${difference.name}" (without the plugin: ${difference.without}): ${difference.error}`,
    );
  }
  if (differences.length === 0) console.log('- none');
  for (const entry of stale)
    console.log(`- note: ${entry.file} "${entry.test}" is listed as a known difference but did not differ`);
  console.log(`\n## Failing with and without the plugin (not the plugin's: the environment)\n`);
  for (const failure of failingBoth) console.log(`- ${failure.file} "${failure.name}": ${failure.error}`);
  if (failingBoth.length === 0) console.log('- none');
  const withoutApps = files.filter((file) => !(withPlugin.get(file).counts.apps > 0));
  console.log(`\n## Files where no instance got the plugin (${withoutApps.length})\n`);
  console.log(
    'They make no Fastify instance through the factory (unit tests of internals), load it through proxyquire, ' +
      'or import it as an ES module (the ESM loader does not go through the preload):\n',
  );
  console.log(withoutApps.join(', ') || 'none');
  const unfinished = files.filter((file) => withPlugin.get(file).counts.unfinishedAtExit > 0);
  if (unfinished.length > 0) {
    console.log(
      `\nRequests still in flight when the test process exited: ${unfinished.map((file) => `${file} (${withPlugin.get(file).counts.unfinishedAtExit})`).join(', ')}`,
    );
  }
  console.log(`\n## (b) Counters of the request signals (every file's first run with the plugin)\n`);
  console.log(JSON.stringify(counts, null, 2));
  for (const violation of violations) console.log(`- VIOLATION: ${violation}`);
  if (counts.unfinishedAtExit > 0) {
    console.log(`- note: ${counts.unfinishedAtExit} requests were still in flight when their test process exited`);
  }
  const passed = unexpected.length === 0 && violations.length === 0;
  console.log(
    `\n${passed ? 'PASS' : 'FAIL'}: ${unexpected.length} unexpected differences, ${violations.length} counter violations`,
  );
  return passed ? 0 : 1;
}

/** Runs `files` through a bounded pool; `mode` is 'plugin', 'plugin-again' or 'off'. */
async function runAll(files, mode) {
  const results = new Map();
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift())
      results.set(file, await runFile(file, mode));
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results;
}

/** Runs one test file in its own process; resolves with its tests, counters and any problem. */
function runFile(file, mode) {
  const id = createHash('sha1').update(`${mode} ${file}`).digest('hex').slice(0, 12);
  const reportPath = join(work, `${id}.tap`);
  const countsPath = join(work, `${id}.counts.jsonl`);
  writeFileSync(reportPath, '');
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      // Node's own TAP reporter: a custom (ESM) reporter loads asynchronously and shifts when the
      // test files run, which breaks Fastify's tests that add routes right before listen().
      [
        '--require',
        join(SUITE, 'preload.cjs'),
        '--test-reporter=tap',
        `--test-reporter-destination=${reportPath}`,
        file,
      ],
      {
        cwd: FASTIFY,
        env: {
          ...process.env,
          RX_SIGNALS_SUITE_PLUGIN: mode === 'off' ? 'off' : 'on',
          RX_SIGNALS_SUITE_LIB: join(ROOT, '.build', 'lib', 'index.js'),
          RX_SIGNALS_SUITE_COUNTS: countsPath,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const tests = new Map();
      for (const test of parseTap(readFileSync(reportPath, 'utf8'))) {
        let name = test.name;
        for (let n = 2; tests.has(name); n++) name = `${test.name} #${n}`; // same name twice in a file
        tests.set(name, test);
      }
      const failed = [...tests.values()].some(({ result }) => result === 'fail');
      const problem =
        signal === 'SIGKILL'
          ? `timed out after ${options.timeoutSeconds} s`
          : code !== 0 && !failed
            ? `exited with ${code ?? signal} without a failing test: ${stderr.trim().split('\n').slice(-3).join(' | ')}`
            : undefined;
      const counts = existsSync(countsPath)
        ? readFileSync(countsPath, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line))
        : [];
      resolve({ ok: code === 0 && !failed, tests, problem, counts: sumCounts(counts) });
    });
  });
}

/**
 * The tests of a TAP report (Node's reporter): `{ name, result, error }`, `name` being the path
 * of parent test names joined by ' > ', `result` 'pass', 'fail', 'skip' or 'todo'.
 */
function parseTap(tap) {
  const tests = [];
  const parents = [];
  const lines = tap.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const subtest = /^( *)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      parents.length = subtest[1].length / 4;
      parents.push(subtest[2]);
      continue;
    }
    const point = /^( *)(not )?ok \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(line);
    if (!point) continue;
    const level = point[1].length / 4;
    parents.length = level;
    const name = [...parents, point[3]].join(' > ');
    const result = point[2] ? 'fail' : point[4] === 'SKIP' ? 'skip' : point[4] === 'TODO' ? 'todo' : 'pass';
    tests.push({
      name,
      result,
      error: result === 'fail' ? tapError(lines, index + 1, point[1].length + 2) : undefined,
    });
  }
  return tests;
}

/** The `error:` of the YAML block that follows a `not ok` line, on one line. */
function tapError(lines, from, indent) {
  const key = `${' '.repeat(indent)}error: `;
  for (let index = from; index < lines.length && lines[index].startsWith(' '.repeat(indent)); index++) {
    if (!lines[index].startsWith(key)) continue;
    const inline = lines[index].slice(key.length);
    if (inline !== '|-' && inline !== '>-') return inline.replace(/^'|'$/g, '');
    const block = [];
    for (
      let next = index + 1;
      next < lines.length && (lines[next].startsWith(' '.repeat(indent + 2)) || !lines[next].trim());
      next++
    ) {
      if (lines[next].trim()) block.push(lines[next].trim());
    }
    return block.slice(0, 4).join(' ').slice(0, 300);
  }
  return 'failed (no error message)';
}

function knownDifference({ file, name }) {
  return KNOWN_DIFFERENCES.find((entry) => entry.file === file && entry.test === name);
}

function sumCounts(list) {
  const sum = {};
  for (const counts of list) for (const [key, value] of Object.entries(counts)) sum[key] = (sum[key] ?? 0) + value;
  return sum;
}

function counterViolations(counts) {
  const rules = {
    startedTwice: 'requests started twice',
    finishedTwice: 'requests finished twice',
    finishedWithoutStart: 'requests finished without a start',
    exceptionAfterFinish: 'exceptions sent after the finish',
    exceptionWithoutStart: 'exceptions sent without a start',
    completedNotEnded: "'completed' requests whose response was not ended",
    unfinishedButResponded: 'requests whose response went out in full and never finished',
  };
  return Object.entries(rules)
    .filter(([key]) => (counts[key] ?? 0) > 0)
    .map(([key, what]) => `${counts[key]} ${what}`);
}

/** Every *.test.js and *.test.mjs file under `dir` (Fastify's own selection), sorted. */
function testFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(path));
    else if (/\.test\.m?js$/.test(entry.name)) found.push(path);
  }
  return found.sort();
}

/** Installs Fastify's test dependencies here (`npm ci`) unless the lock file is already installed. */
function installSuite() {
  const lock = readFileSync(join(SUITE, 'package-lock.json'));
  const stamp = join(SUITE, 'node_modules', '.rx-signals-suite-lock');
  const hash = createHash('sha256').update(lock).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  log('installing Fastify test dependencies (npm ci in test/fastify-suite)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: SUITE, stdio: 'inherit' });
  writeFileSync(stamp, hash);
}

/** The suite must test the Fastify the project installs. */
function checkFastifyVersion() {
  const project = fastifyVersion(join(ROOT, 'node_modules', 'fastify'));
  const suite = fastifyVersion(FASTIFY);
  if (project !== suite) {
    throw new Error(
      `test/fastify-suite pins fastify ${suite} but the project installs ${project}: set "fastify": "${project}" ` +
        'in test/fastify-suite/package.json and run npm install there.',
    );
  }
}

function fastifyVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

function parseArguments(args) {
  const parsed = { concurrency: 2 * availableParallelism(), timeoutSeconds: 180, only: '' };
  for (const arg of args) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (key === 'concurrency' && Number(value) >= 1) parsed.concurrency = Math.floor(Number(value));
    else if (key === 'timeout' && Number(value) > 0) parsed.timeoutSeconds = Number(value);
    else if (key === 'only' && value) parsed.only = value;
    else
      throw new TypeError(
        `test:fastify: unknown or invalid argument ${arg}. Use --concurrency=N, --timeout=seconds, --only=substring.`,
      );
  }
  return parsed;
}
