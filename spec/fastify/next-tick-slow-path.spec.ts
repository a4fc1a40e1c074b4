/**
 * Regression: a panel-open bench server ran a fifth slower for its whole life in some processes.
 * Node 20's `process.nextTick` builds its tick objects with an object literal whose first keys are
 * computed, and V8 keeps such a key's feedback as one map or megamorphic, for good. Once the tick
 * objects' maps were collected (full collections while no tick was pending) and made anew, every
 * `process.nextTick` took three runtime calls. `signalsPlugin` now holds one tick object.
 *
 * Why a child process: the state is read with V8's natives syntax (`--allow-natives-syntax`), and
 * the collections must run while nothing else of Jest's is pending.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileLib } from '../core/support/compile-lib';

const CHILD = resolve(__dirname, 'support/next-tick-child.js');
const NODE_MODULES = resolve(__dirname, '../../node_modules');
/** The tick object literal of Node 20's `nextTick`, whose feedback this is about. */
const TICK_LITERAL = '[async_id_symbol]: asyncId';

let libDir: string;

beforeAll(() => {
  libDir = mkdtempSync(join(tmpdir(), 'rx-signals-next-tick-'));
  compileLib(['fastify/index'], libDir);
});

afterAll(() => rmSync(libDir, { recursive: true, force: true }));

/** The states V8 prints for the tick object literal's keys in `nextTick`'s feedback, after the collections. */
function literalKeyStates(mode: 'plugin' | 'none'): Promise<string[]> {
  // V8 prints with C stdio, whose last buffer a pipe to a parent can lose at exit: a file keeps it.
  const printedTo = join(libDir, `${mode}.out`);
  const out = openSync(printedTo, 'w');
  const child = spawn(process.execPath, ['--allow-natives-syntax', '--expose-gc', CHILD, libDir, mode], {
    env: { ...process.env, NODE_PATH: NODE_MODULES },
    stdio: ['ignore', out, 'pipe'],
    timeout: 60_000,
  });
  closeSync(out);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    child.on('close', (code) => {
      const printed = readFileSync(printedTo, 'utf8').split('--- process.nextTick')[1];
      if (code !== 0 || printed === undefined) {
        fail(new Error(`the child failed (exit code ${code}):\n${stderr}`));
        return;
      }
      done([...printed.matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((match) => match[1]));
    });
  });
}

const node20Literal = process.version.startsWith('v20.') && process.nextTick.toString().includes(TICK_LITERAL);
if (!node20Literal) {
  console.log(`next-tick-slow-path: skipped, Node ${process.version}'s nextTick is not the one this pins`);
}
const describeOnNode20 = node20Literal ? describe : describe.skip;

describeOnNode20("process.nextTick's tick object literal after full collections with no tick pending", () => {
  it('without signalsPlugin (the V8 behaviour pinned): the literal turns megamorphic', async () => {
    const states = await literalKeyStates('none');
    expect(states).toHaveLength(4); // two symbol keys, callback, args
    expect(states).toContain('MEGAMORPHIC');
  });

  it('with signalsPlugin registered (regression: tick objects got new maps, then three runtime calls per nextTick): every key stays monomorphic', async () => {
    const states = await literalKeyStates('plugin');
    expect(states).toEqual(['MONOMORPHIC', 'MONOMORPHIC', 'MONOMORPHIC', 'MONOMORPHIC']);
  });
});
