'use strict';
/**
 * Shows whether `process.nextTick` falls on V8's slow path after its tick objects' maps could be
 * collected: it makes ticks, runs four full garbage collections with no tick pending, makes
 * ticks again, then prints `process.nextTick` with V8's `%DebugPrint` (its feedback vector:
 * one line per slot, the tick object literal's keys among them).
 *
 * Usage: node --allow-natives-syntax --expose-gc next-tick-child.js <compiled lib dir> <plugin|none>
 * (`plugin`: a Fastify app registers `signalsPlugin` first). Spawned by next-tick-slow-path.spec.ts.
 *
 * @example
 * node --allow-natives-syntax --expose-gc spec/fastify/support/next-tick-child.js /tmp/lib plugin
 */
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const [libDir, mode] = process.argv.slice(2);
// Natives syntax in a Function body: this file stays plain JavaScript for the linters.
const debugPrint = new Function('value', '%DebugPrint(value)');
const ticks = (count) =>
  new Promise((done) => {
    let left = count;
    const next = () => (--left > 0 ? process.nextTick(next) : done());
    process.nextTick(next);
  });

(async () => {
  if (mode === 'plugin') {
    const Fastify = require('fastify');
    const { signalsPlugin } = require(path.join(libDir, 'fastify', 'index.js'));
    const app = Fastify();
    await app.register(signalsPlugin);
    await app.ready();
  }
  await ticks(20_000);
  for (let round = 0; round < 4; round++) {
    await sleep(5); // called from a timer: no tick object is pending or running
    globalThis.gc();
  }
  await ticks(1_000);
  console.log('--- process.nextTick');
  debugPrint(process.nextTick);
})();
