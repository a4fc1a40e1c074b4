'use strict';
/**
 * Runs one hostile-receiver scenario against a real Fastify app with `signalsPlugin`, in a plain
 * Node process with Node's default handling of `uncaughtException` and `unhandledRejection`:
 * either kills this process (exit code 1, the error on stderr). Surviving, it prints one JSON
 * line: { survived: true, results: [...] }.
 *
 * Usage: node hostile-child.js <compiled lib dir> <scenario> [signal name]
 * (spawned by hostile-receivers.spec.ts, which compiles lib/ for it).
 *
 * @example
 * node spec/fastify/support/hostile-child.js /tmp/lib start-fail-rejections
 * node spec/fastify/support/hostile-child.js /tmp/lib hostile-responses requestFinished
 */
const http = require('node:http');
const path = require('node:path');
const { Writable } = require('node:stream');
const Fastify = require('fastify');

const [libDir, scenarioName, signalName] = process.argv.slice(2);
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
  // A thenable all right, but `Promise.resolve` and a native `then` read its `constructor`.
  'a Promise whose constructor getter throws': () =>
    Object.defineProperty(Promise.resolve('fine'), 'constructor', { get: explode }),
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

/** The message of an Error, else its type: what a result may safely say of a thrown value. */
function messageOf(value) {
  return value instanceof Error ? value.message : typeof value;
}

/** GET over a real socket to 127.0.0.1: resolves with the status and body. */
function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, body }));
      })
      .on('error', reject);
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

  /**
   * A receiver of one request signal (the third argument) returning each hostile response, then a
   * later receiver on the same signal; GET /ok and /fails over a real socket, with and without
   * awaitStart.
   */
  async 'hostile-responses'() {
    const signal = { requestStarted, gotRequestException, requestFinished }[signalName];
    if (!signal) throw new Error(`hostile-responses needs a request signal's name, got ${signalName}`);
    const results = [];
    for (const [valueName, make] of Object.entries(hostileResponses)) {
      for (const awaitStart of [false, { timeoutMs: 5000 }]) {
        const { app, seen } = await appWith({ awaitStart });
        const reported = [];
        const reports = receiverErrors.subscribe(({ error }) => reported.push(messageOf(error)));
        const laterSaw = [];
        app.signals.connect(signal, function hostile() {
          return make();
        });
        app.signals.connect(signal, function later({ error, outcome }) {
          laterSaw.push(error !== undefined ? messageOf(error) : (outcome ?? 'started'));
        });
        await app.listen({ host: '127.0.0.1', port: 0 });
        const { port } = app.server.address();
        const ok = await get(port, '/ok');
        const fails = await get(port, '/fails');
        await settle();
        reports.unsubscribe();
        await app.close();
        results.push({
          value: valueName,
          awaitStart: awaitStart !== false,
          ok,
          failsStatus: fails.status,
          outcomes: seen.outcomes,
          laterSaw,
          reported,
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
