/**
 * Runs the examples of the README's `operators` and `panel` sections, so they cannot rot. The
 * code below is copied from README.md (only wrapped in functions, and importing '../../lib'
 * where the README imports 'rx-signals'); the first test fails if a README block is missing here
 * verbatim, in order (spec/support/readme-examples.ts), and each example's `// → output` comments
 * are checked against what it really prints.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { auditTime, map, merge, mergeMap, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  signalsPlugin,
  requestFinished,
  summarizeRequests,
  slowerThan,
  rollingRequestStats,
  latencyByRoute,
  groupByRequest,
  type RequestSummary,
} from '../../lib';
import { signalsPanel } from '../../lib';
import { itRunsEachExample, readmeExamples, type ReadmeExample } from '../support/readme-examples';

async function setup() {
  const app = Fastify();
  await app.register(signalsPlugin);
  app.get('/users/:id', async () => ({ name: 'Ada' }));
  app.get('/fail', async () => {
    throw new Error('boom');
  });
  return app;
}

let app: Awaited<ReturnType<typeof setup>>;
beforeEach(async () => {
  app = await setup();
});
afterEach(() => app.close());

/**
 * The README's examples after its setup, in README order, each with the checks it needs beyond
 * what it prints. `untilPrinted(n)` waits for an example's nth print (one that comes after a timer).
 */
const examples: ReadmeExample[] = [
  [
    'summaries',
    async () => {
      app.signals.requestFinished$
        .pipe(summarizeRequests())
        .subscribe(({ method, route, statusCode, outcome }) => console.log(method, route, statusCode, outcome));

      await app.inject('/users/42?token=secret'); // → GET /users/:id 200 completed
      await app.inject('/fail'); // → GET /fail 500 errored
    },
  ],
  [
    'slow requests',
    async () => {
      app.signals.connect(
        requestFinished,
        function slowRequestAlert({ request, elapsedMs }) {
          request.log.warn({ elapsedMs }, 'slow request');
        },
        { pipe: slowerThan(500) },
      );
      expect(requestFinished.receivers().find((info) => info.name === 'slowRequestAlert')).toMatchObject({
        sender: app,
        operators: 1,
      });
    },
  ],
  [
    'rolling throughput and error rate',
    async (untilPrinted) => {
      app.signals.requestFinished$
        .pipe(summarizeRequests(), rollingRequestStats({ windowMs: 60_000 }), auditTime(1_000))
        .subscribe(({ requests, errorRate }) => console.log(`${requests} requests, ${errorRate * 100} % failed`));

      await app.inject('/users/1');
      await app.inject('/fail'); // a second later → 2 requests, 50 % failed
      await untilPrinted(1);
    },
  ],
  [
    'latency per route',
    async () => {
      app.signals.requestFinished$
        .pipe(summarizeRequests(), latencyByRoute({ maxRoutes: 20, samples: 100 }))
        .subscribe(({ route, requests, p50, p95 }) => console.log(route, requests, p50 <= p95));

      await app.inject('/users/1'); // → GET /users/:id 1 true
      await app.inject('/users/2'); // → GET /users/:id 2 true
    },
  ],
  [
    "one request's lifecycle",
    async () => {
      merge(app.signals.requestStarted$, app.signals.gotRequestException$, app.signals.requestFinished$)
        .pipe(
          groupByRequest(),
          mergeMap((events$) => events$.pipe(toArray())),
        )
        .subscribe((events) => console.log(events.map(({ signal }) => signal.name).join(' → ')));

      await app.inject('/fail'); // → requestStarted → gotRequestException → requestFinished
    },
  ],
  [
    'marble tests in virtual time',
    async () => {
      const ok: RequestSummary = { method: 'GET', route: '/ok', statusCode: 200, outcome: 'completed', elapsedMs: 3 };
      const failed: RequestSummary = { ...ok, statusCode: 500, outcome: 'errored' };

      new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ hot, expectObservable }) => {
        const summaries$ = hot('a 99ms b', { a: ok, b: failed });
        const inWindow$ = summaries$.pipe(rollingRequestStats({ windowMs: 1000 }), map((stats) => stats.requests));
        // Each request counts on arrival and stops counting 1000 ms later.
        expectObservable(inWindow$).toBe('a 99ms b 899ms c 99ms d', { a: 1, b: 2, c: 1, d: 0 });
      });
    },
  ],
  [
    'panel: register',
    async () => {
      await app.register(signalsPanel); // the page at /_signals
      expect((await app.inject('/_signals')).statusCode).toBe(200);
    },
  ],
  [
    'panel: protected with Basic auth',
    async () => {
      process.env.PANEL_PASSWORD = 'correct horse';
      const expected = Buffer.from(`Basic ${Buffer.from(`admin:${process.env.PANEL_PASSWORD}`).toString('base64')}`);
      const authorized = (header = '') =>
        Buffer.byteLength(header) === expected.length && timingSafeEqual(Buffer.from(header), expected);

      await app.register(signalsPanel, {
        prefix: '/admin/signals',
        onRequest: async (request, reply) => {
          if (!authorized(request.headers.authorization)) {
            await reply.code(401).header('www-authenticate', 'Basic realm="signals"').send();
          }
        },
      });
      const refused = await app.inject('/admin/signals');
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Basic realm="signals"');
      const wrong = Buffer.from('admin:wrong').toString('base64');
      expect((await app.inject({ url: '/admin/signals', headers: { authorization: `Basic ${wrong}` } })).statusCode).toBe(401);
      const right = Buffer.from('admin:correct horse').toString('base64');
      expect((await app.inject({ url: '/admin/signals', headers: { authorization: `Basic ${right}` } })).statusCode).toBe(200);
      delete process.env.PANEL_PASSWORD;
    },
  ],
];

describe('README operators and panel examples', () => {
  const readme = readmeExamples({
    sections: ['operators', 'panel'],
    spec: __filename,
    modules: { fastify: 'fastify', rxjs: 'rxjs', 'rxjs/testing': 'rxjs/testing', 'rx-signals': '../../lib', 'node:crypto': 'node:crypto' },
  });
  // The operators' setup (setup() above), then one block per example.
  const exampleBlocks = readme.blocks.slice(1);

  it('are copied here, with the same imports, in order', () => {
    expect(exampleBlocks).toHaveLength(examples.length);
    readme.expectSameImports();
    readme.expectCopiedInOrder();
  });

  itRunsEachExample(examples, exampleBlocks);
});
