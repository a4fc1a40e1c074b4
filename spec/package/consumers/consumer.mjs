// A native ES module app using the packed package: named imports of its entry points (Node
// finds them in the CommonJS build with cjs-module-lexer), and every export CommonJS sees.
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import { Observable } from 'rxjs';
import * as main from 'rx-signals';
import * as testing from 'rx-signals/testing';
import * as redis from 'rx-signals/redis';
import { Signal, signalsPlugin, requestFinished } from 'rx-signals';
import { recordSignals } from 'rx-signals/testing';

const require = createRequire(import.meta.url);
/** Names an ES module import sees that `require` does not, and the other way round. */
const mismatch = (namespace, specifier) => {
  // `default` is module.exports itself; tsc marks its CommonJS modules with `__esModule`.
  const esm = Object.keys(namespace).filter((name) => !['default', 'module.exports', '__esModule'].includes(name));
  const cjs = Object.keys(require(specifier));
  return [...esm.filter((name) => !cjs.includes(name)), ...cjs.filter((name) => !esm.includes(name))];
};

const greeted = new Signal('greeted');
const recording = recordSignals(greeted);
greeted.connect(({ name }) => `hello ${name}`);
const [[, response]] = greeted.send(null, { name: 'Ada' });
recording.stop();

const app = Fastify();
await app.register(signalsPlugin);
app.get('/', async () => 'ok');
const outcomes = [];
app.signals.connect(requestFinished, ({ outcome }) => outcomes.push(outcome));
await app.inject('/');
await app.close();

console.log(
  JSON.stringify({
    response,
    recorded: recording.events.length,
    outcomes,
    oneRxjs: greeted.asObservable() instanceof Observable,
    exports: { main: Object.keys(main).length, testing: Object.keys(testing).length, redis: Object.keys(redis).length },
    mismatch: [
      ...mismatch(main, 'rx-signals'),
      ...mismatch(testing, 'rx-signals/testing'),
      ...mismatch(redis, 'rx-signals/redis'),
    ],
  }),
);
