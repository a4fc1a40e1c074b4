'use strict';
/**
 * Runs one hostile-receiver scenario against a real Fastify app with `signalsPlugin`, in a plain
 * Node process with Node's default handling of `uncaughtException` and `unhandledRejection`:
 * either kills this process (exit code 1, the error on stderr). Surviving, it prints one JSON
 * line: { survived: true, results: [...] }.
 *
 * Usage: node hostile-child.js <compiled lib dir> <scenario>
 * (spawned by hostile-receivers.spec.ts, which compiles lib/ for it).
 *
 * @example
 * node spec/fastify/support/hostile-child.js /tmp/lib start-fail-rejections
 */
const path = require('node:path');
const { Writable } = require('node:stream');
const Fastify = require('fastify');

const [libDir, scenarioName] = process.argv.slice(2);
const lib = require(path.join(libDir, 'fastify', 'index.js'));
const { receiverErrors } = require(path.join(libDir, 'core', 'receiver-errors.js'));
const { signalsPlugin, requestStarted, gotRequestException, requestFinished } = lib;

const explode = () => {
  throw new Error('hostile: do not touch');
};
/** Values a receiver may throw or return that break code reading them carelessly. */
const hostileValues = {
  'Object.create(null)': () => Object.create(null),
  'a throwing toString': () => ({ toString: explode, valueOf: explode }),
  'a throwing Symbol.toPrimitive': () => ({ [Symbol.toPrimitive]: explode }),
  'a Proxy whose every trap throws': () =>
    new Proxy(
      {},
      { get: explode, has: explode, ownKeys: explode, getPrototypeOf: explode, getOwnPropertyDescriptor: explode },
    ),
  'a revoked Proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  'a Proxy of an Error whose getters throw': () => new Proxy(new Error('proxied'), { get: explode }),
};
/** Responses whose `then` cannot be read. */
const hostileResponses = {
  'a then getter that throws': () => ({
    get then() {
      return explode();
    },
  }),
  'a Proxy whose every trap throws': hostileValues['a Proxy whose every trap throws'],
  'a revoked Proxy': hostileValues['a revoked Proxy'],
};

/** Resolves after a few turns of the event loop: unhandled rejections and RxJS rethrows have fired by then. */
async function settle() {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** An app with the plugin (given options) and `/ok`, `/fails`; records outcomes and reports. */
async function appWith(options, fastifyOptions = {}) {
  const app = Fastify(fastifyOptions);
  await app.register(signalsPlugin, options);
  app.get('/ok', async () => 'ok');
  app.get('/fails', async () => {
    throw new Error('handler failed');
  });
  const seen = { outcomes: [], exceptions: 0, reports: 0 };
  app.signals.connect(requestFinished, ({ outcome }) => {
    seen.outcomes.push(outcome);
  });
  return { app, seen };
}

function countReports(seen) {
  return receiverErrors.subscribe(() => {
    seen.reports++;
  });
}

const scenarios = {
  /** startErrors: 'fail' with a receiver failing with each hostile value, sync and under awaitStart. */
  async 'start-fail-rejections'() {
    const results = [];
    for (const [valueName, make] of Object.entries(hostileValues)) {
      for (const mode of ['async, awaitStart', 'sync']) {
        const { app, seen } = await appWith({
          startErrors: 'fail',
          awaitStart: mode === 'sync' ? false : { timeoutMs: 5000 },
        });
        const reports = countReports(seen);
        app.signals.connect(
          requestStarted,
          mode === 'sync'
            ? function hostile() {
                throw make();
              }
            : async function hostile() {
                throw make();
              },
        );
        const response = await app.inject('/ok');
        await settle();
        reports.unsubscribe();
        await app.close();
        results.push({
          value: valueName,
          mode,
          status: response.statusCode,
          outcomes: seen.outcomes,
          reports: seen.reports,
        });
      }
    }
    return results;
  },

  /** Receivers whose responses' `then` cannot be read, on each request signal. */
  async 'hostile-responses'() {
    const results = [];
    for (const [valueName, make] of Object.entries(hostileResponses)) {
      for (const awaitStart of [false, { timeoutMs: 5000 }]) {
        const { app, seen } = await appWith({ awaitStart });
        const reports = countReports(seen);
        const laterRan = { requestStarted: 0, gotRequestException: 0, requestFinished: 0 };
        for (const signal of [requestStarted, gotRequestException, requestFinished]) {
          app.signals.connect(signal, function hostile() {
            return make();
          });
          app.signals.connect(signal, function later() {
            laterRan[signal.name]++;
          });
        }
        const ok = await app.inject('/ok');
        const fails = await app.inject('/fails');
        await settle();
        reports.unsubscribe();
        await app.close();
        results.push({
          value: valueName,
          awaitStart: awaitStart !== false,
          statuses: [ok.statusCode, fails.statusCode],
          outcomes: seen.outcomes,
          laterRan,
        });
      }
    }
    return results;
  },

  /** Receiver failures whose error, or the receiver itself, cannot be described: the log line survives. */
  async 'hostile-logging'() {
    const lines = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        done();
      },
    });
    const { app, seen } = await appWith({}, { logger: { level: 'error', stream } });
    app.signals.connect(requestStarted, function throwsAProxy() {
      throw hostileValues['a Proxy whose every trap throws']();
    });
    app.signals.connect(requestStarted, function throwsAnErrorProxy() {
      throw hostileValues['a Proxy of an Error whose getters throw']();
    });
    const unnamed = () => {
      throw new Error('from a receiver whose name cannot be read');
    };
    Object.defineProperty(unnamed, 'name', { get: explode });
    app.signals.connect(requestFinished, unnamed);
    app.signals.connect(
      requestFinished,
      new Proxy(function proxied() {
        throw new Error('from a Proxy receiver');
      }, {}),
    );
    const response = await app.inject('/ok');
    await settle();
    await app.close();
    return [
      {
        status: response.statusCode,
        outcomes: seen.outcomes,
        logged: lines
          .filter((line) => line.level === 50)
          .map((line) => ({ signal: line.signal, receiver: line.receiver, error: line.error ?? line.err?.message })),
      },
    ];
  },
};

const scenario = scenarios[scenarioName];
if (!scenario) {
  console.error(`unknown scenario ${scenarioName}`);
  process.exit(2);
}
scenario().then((results) => {
  process.stdout.write(`${JSON.stringify({ survived: true, results })}\n`);
});
