/**
 * Runs the examples of the README's `operators` and `panel` sections, so they cannot rot. The
 * code below is copied from README.md (only wrapped in functions, and importing '../../lib'
 * where the README imports 'rx-signals'); the first test fails if any README line is missing
 * here, in order.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

async function setup() {
  const app = Fastify();
  await app.register(signalsPlugin);
  app.get('/users/:id', async () => ({ name: 'Ada' }));
  app.get('/fail', async () => {
    throw new Error('boom');
  });
  return app;
}

/** What the examples print, one string per console.log call. */
function capturePrints(): string[] {
  const printed: string[] = [];
  jest.spyOn(console, 'log').mockImplementation((...values: unknown[]) => void printed.push(values.map(String).join(' ')));
  return printed;
}

let app: Awaited<ReturnType<typeof setup>>;
beforeEach(async () => {
  app = await setup();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await app.close();
});

describe('README operators and panel examples', () => {
  it('are copied here, line for line', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const here = readFileSync(__filename, 'utf8').split('\n').map((line) => line.trim()).filter(Boolean);
    for (const section of ['operators', 'panel']) {
      const body = readme.slice(readme.indexOf(`<!-- section:${section} -->`), readme.indexOf(`<!-- /section:${section} -->`));
      const blocks = [...body.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) {
        const lines = block.replaceAll("'rx-signals'", "'../../lib'").split('\n').map((line) => line.trim()).filter(Boolean);
        let at = 0;
        for (const line of lines) {
          const found = here.indexOf(line, at);
          if (found < 0) throw new Error(`README ${section} line not in readme.spec.ts (in order): ${line}`);
          at = found + 1;
        }
      }
    }
  });

  it('summaries', async () => {
    const printed = capturePrints();
    app.signals.requestFinished$
      .pipe(summarizeRequests())
      .subscribe(({ method, route, statusCode, outcome }) => console.log(method, route, statusCode, outcome));

    await app.inject('/users/42?token=secret'); // → GET /users/:id 200 completed
    await app.inject('/fail'); // → GET /fail 500 errored
    expect(printed).toEqual(['GET /users/:id 200 completed', 'GET /fail 500 errored']);
  });

  it('slow requests', async () => {
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
  });

  it('rolling throughput and error rate', async () => {
    const printed = capturePrints();
    const logged = new Promise<void>((resolve) => (console.log as jest.Mock).mockImplementation((line: string) => {
      printed.push(line);
      resolve();
    }));
    app.signals.requestFinished$
      .pipe(summarizeRequests(), rollingRequestStats({ windowMs: 60_000 }), auditTime(1_000))
      .subscribe(({ requests, errorRate }) => console.log(`${requests} requests, ${errorRate * 100} % failed`));

    await app.inject('/users/1');
    await app.inject('/fail'); // a second later → 2 requests, 50 % failed
    await logged;
    expect(printed).toEqual(['2 requests, 50 % failed']);
  });

  it('latency per route', async () => {
    const printed = capturePrints();
    app.signals.requestFinished$
      .pipe(summarizeRequests(), latencyByRoute({ maxRoutes: 20, samples: 100 }))
      .subscribe(({ route, requests, p50, p95 }) => console.log(route, requests, p50 <= p95));

    await app.inject('/users/1'); // → GET /users/:id 1 true
    await app.inject('/users/2'); // → GET /users/:id 2 true
    expect(printed).toEqual(['GET /users/:id 1 true', 'GET /users/:id 2 true']);
  });

  it("one request's lifecycle", async () => {
    const printed = capturePrints();
    merge(app.signals.requestStarted$, app.signals.gotRequestException$, app.signals.requestFinished$)
      .pipe(
        groupByRequest(),
        mergeMap((events$) => events$.pipe(toArray())),
      )
      .subscribe((events) => console.log(events.map(({ signal }) => signal.name).join(' → ')));

    await app.inject('/fail'); // → requestStarted → gotRequestException → requestFinished
    expect(printed).toEqual(['requestStarted → gotRequestException → requestFinished']);
  });

  it('marble tests in virtual time', () => {
    const ok: RequestSummary = { method: 'GET', route: '/ok', statusCode: 200, outcome: 'completed', elapsedMs: 3 };
    const failed: RequestSummary = { ...ok, statusCode: 500, outcome: 'errored' };

    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ hot, expectObservable }) => {
      const summaries$ = hot('a 99ms b', { a: ok, b: failed });
      const inWindow$ = summaries$.pipe(rollingRequestStats({ windowMs: 1000 }), map((stats) => stats.requests));
      // Each request counts on arrival and stops counting 1000 ms later.
      expectObservable(inWindow$).toBe('a 99ms b 899ms c 99ms d', { a: 1, b: 2, c: 1, d: 0 });
    });
  });

  it('panel: register', async () => {
    await app.register(signalsPanel); // the page at /_signals
    expect((await app.inject('/_signals')).statusCode).toBe(200);
  });

  it('panel: protected with Basic auth', async () => {
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
  });
});
