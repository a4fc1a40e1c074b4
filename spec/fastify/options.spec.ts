import Fastify from 'fastify';
import { requestStarted, signalsPlugin } from '../../lib';
import { DEFAULT_AWAIT_START_MS, resolvePluginOptions } from '../../lib/fastify/plugin-options';
import { deferred } from '../core/support/waiting';
import { LifecycleLog } from './support/lifecycle-log';
import { collectReports } from './support/reports';
import { capturedLogs } from '../support/captured-logs';

describe('signalsPlugin options: validated when registering', () => {
  it.each([
    [
      { startErrrors: 'fail' },
      /unknown option "startErrrors"\. Allowed options: startErrors, awaitStart, prefix, logLevel, logSerializers, name\./,
    ],
    [{ startErrors: 'explode' }, /options\.startErrors must be 'report' or 'fail', got the string "explode"/],
    [{ startErrors: true }, /options\.startErrors must be 'report' or 'fail', got the boolean true/],
    [{ awaitStart: 500 }, /options\.awaitStart must be true, false or \{ timeoutMs \}, got the number 500/],
    [{ awaitStart: {} }, /options\.awaitStart\.timeoutMs must be a number of milliseconds above 0.*got undefined/],
    [{ awaitStart: { timeoutMs: 10, retries: 2 } }, /options\.awaitStart: unknown option "retries"/],
  ])('rejects %j with a TypeError that names the option', async (options, message) => {
    const app = Fastify();
    const registering = app.register(signalsPlugin, options as never);
    await expect(registering).rejects.toThrow(TypeError);
    await expect(registering).rejects.toThrow(message);
    await app.close().catch(() => undefined);
  });

  it("accepts Fastify's own register options (regression: prefix, logLevel, logSerializers were refused as unknown)", async () => {
    // Fastify hands its register options to every plugin along with the plugin's own.
    const app = Fastify();
    // `name` is avvio's (a plugin's display name), outside Fastify's typed RegisterOptions.
    const options = {
      prefix: '/api',
      logLevel: 'warn',
      logSerializers: { user: (user: unknown) => String(user) },
      name: 'signals',
      startErrors: 'fail',
    } as const;
    await app.register(signalsPlugin, options);
    const log = new LifecycleLog(app);
    app.get('/ok', async () => 'ok');

    expect((await app.inject('/ok')).statusCode).toBe(200);
    await log.finished('/ok');
    expect(log.of('/ok')).toEqual(['requestStarted', 'requestFinished:completed']);
    await app.close();
  });

  it.each([
    [{ awaitStart: { timeoutMs: 0 } }, /timeoutMs must be a number of milliseconds above 0.*got the number 0/],
    [{ awaitStart: { timeoutMs: Infinity } }, /timeoutMs must be .*got the number Infinity.*must be bounded/],
    [{ awaitStart: { timeoutMs: 2 ** 31 } }, /timeoutMs must be .*at most 2147483647.*got the number 2147483648/],
  ])('rejects %j with a RangeError: the wait must be a real, bounded timer', async (options, message) => {
    const app = Fastify();
    const registering = app.register(signalsPlugin, options as never);
    await expect(registering).rejects.toThrow(RangeError);
    await expect(registering).rejects.toThrow(message);
    await app.close().catch(() => undefined);
  });

  it('fails the second registration in one context, clearly', async () => {
    const app = Fastify();
    await app.register(signalsPlugin);

    await expect(app.register(signalsPlugin)).rejects.toThrow(
      /rx-signals is already registered in this context, and registering it twice would send every request signal twice/,
    );
    await app.close().catch(() => undefined);
  });

  it('resolves the defaults: report start errors, never wait; awaitStart: true waits at most 5000 ms', () => {
    expect(resolvePluginOptions(undefined)).toEqual({ failOnStartError: false, awaitStartMs: 0 });
    expect(resolvePluginOptions({})).toEqual({ failOnStartError: false, awaitStartMs: 0 });
    expect(resolvePluginOptions({ awaitStart: true })).toEqual({
      failOnStartError: false,
      awaitStartMs: DEFAULT_AWAIT_START_MS,
    });
    expect(DEFAULT_AWAIT_START_MS).toBe(5000);
    expect(resolvePluginOptions({ startErrors: 'fail', awaitStart: { timeoutMs: 250 } })).toEqual({
      failOnStartError: true,
      awaitStartMs: 250,
    });
  });
});

describe("startErrors: 'fail'", () => {
  it("a requestStarted receiver that throws fails the request through Fastify's error handler; later receivers still run", async () => {
    const { logger, lines } = capturedLogs('warn');
    const app = Fastify({ logger });
    await app.register(signalsPlugin, { startErrors: 'fail' });
    const log = new LifecycleLog(app);
    const handled: string[] = [];
    app.setErrorHandler((error: Error, _request, reply) => {
      handled.push(error.message);
      return reply.code(500).send({ failed: error.message });
    });
    app.signals.connect(requestStarted, function openTransaction() {
      throw new Error('database is down');
    });
    let laterReceiverRan = false;
    app.signals.connect(requestStarted, () => {
      laterReceiverRan = true;
    });
    let handlerRan = false;
    app.get('/', async () => {
      handlerRan = true;
      return 'ok';
    });

    const response = await app.inject('/');

    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ failed: 'database is down' });
    expect(handled).toEqual(['database is down']);
    expect(handlerRan).toBe(false);
    expect(laterReceiverRan).toBe(true);
    await log.finished('/');
    expect(log.of('/')).toEqual(['requestStarted', 'gotRequestException', 'requestFinished:errored']);
    expect(log.events[1].error?.message).toBe('database is down');
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, signal: 'requestStarted', receiver: 'openTransaction' }),
    );
    await app.close();
  });

  it('keeps the status code an error carries (a 401 from an auth receiver)', async () => {
    const reports = collectReports();
    const app = Fastify();
    await app.register(signalsPlugin, { startErrors: 'fail' });
    app.signals.connect(requestStarted, function authenticate({ request }) {
      if (!request.headers.authorization) throw Object.assign(new Error('no credentials'), { statusCode: 401 });
    });
    app.get('/', async () => 'secret');

    expect((await app.inject('/')).statusCode).toBe(401);
    expect((await app.inject({ url: '/', headers: { authorization: 'Bearer x' } })).statusCode).toBe(200);
    expect(reports.list.map(({ error }) => (error as Error).message)).toEqual(['no credentials']);
    reports.stop();
    await app.close();
  });

  it("by default ('report') the same receiver changes nothing: 200", async () => {
    const reports = collectReports();
    const app = Fastify();
    await app.register(signalsPlugin);
    app.signals.connect(requestStarted, function openTransaction() {
      throw new Error('database is down');
    });
    app.get('/', async () => 'ok');

    const response = await app.inject('/');

    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('ok');
    expect(reports.list.map(({ signal, sender }) => [signal.name, sender])).toEqual([['requestStarted', app]]);
    reports.stop();
    await app.close();
  });
});

describe('awaitStart', () => {
  it('runs the handler only once the async requestStarted receivers have settled', async () => {
    const app = Fastify();
    await app.register(signalsPlugin, { awaitStart: { timeoutMs: 10_000 } });
    const connections = new Map<string, string>();
    app.signals.connect(requestStarted, async function openConnection({ request }) {
      await new Promise((resolve) => setImmediate(resolve));
      connections.set(request.id, 'open');
    });
    app.get('/', async (request) => connections.get(request.id) ?? 'no connection yet');

    const response = await app.inject('/');

    expect(response.body).toBe('open');
    await app.close();
  });

  it('without awaitStart the handler does not wait for them', async () => {
    const app = Fastify();
    await app.register(signalsPlugin);
    const gate = deferred();
    app.signals.connect(requestStarted, () => gate.promise);
    app.get('/', async () => 'went on');

    const response = await app.inject('/'); // resolves although the receiver's promise is pending
    gate.resolve();

    expect(response.body).toBe('went on');
    await app.close();
  });

  it('when the bound expires: a warning naming the pending receivers, and the request goes on', async () => {
    const { logger, lines } = capturedLogs('warn');
    const app = Fastify({ logger });
    await app.register(signalsPlugin, { awaitStart: { timeoutMs: 30 } });
    const gate = deferred();
    app.signals.connect(requestStarted, function slowPool() {
      return gate.promise;
    });
    app.signals.connect(requestStarted, async function quickCache() {});
    app.get('/', async () => 'went on');

    const response = await app.inject('/');
    gate.resolve();

    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('went on');
    const warning = lines.find((line) => line.level === 40);
    expect(warning).toEqual(expect.objectContaining({ receivers: ['slowPool'], timeoutMs: 30 }));
    expect(warning?.msg).toMatch(
      /requestStarted receivers slowPool still pending after 30 ms \(awaitStart\); the request goes on/,
    );
    expect(warning?.reqId).toBeDefined(); // through the request's logger
    await app.close();
  });

  it("when the bound expires with startErrors: 'fail': a 503 RX_SIGNALS_START_TIMEOUT", async () => {
    const app = Fastify();
    await app.register(signalsPlugin, { awaitStart: { timeoutMs: 30 }, startErrors: 'fail' });
    const log = new LifecycleLog(app);
    const gate = deferred();
    app.signals.connect(requestStarted, function slowPool() {
      return gate.promise;
    });
    app.get('/', async () => 'went on');

    const response = await app.inject('/');
    gate.resolve();

    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual(expect.objectContaining({ code: 'RX_SIGNALS_START_TIMEOUT' }));
    expect(response.json().message).toMatch(/did not settle within 30 ms \(awaitStart\): slowPool/);
    await log.finished('/');
    expect(log.of('/')).toEqual(['requestStarted', 'gotRequestException', 'requestFinished:errored']);
    await app.close();
  });

  it("a rejection fails the request with startErrors: 'fail', and is only reported without it", async () => {
    for (const startErrors of ['fail', 'report'] as const) {
      const reports = collectReports();
      const app = Fastify();
      await app.register(signalsPlugin, { awaitStart: { timeoutMs: 10_000 }, startErrors });
      app.signals.connect(requestStarted, async function openConnection() {
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('connection refused');
      });
      app.get('/', async () => 'went on');

      const response = await app.inject('/');

      if (startErrors === 'fail') {
        expect(response.statusCode).toBe(500);
        expect(response.json().message).toBe('connection refused');
      } else {
        expect(response.statusCode).toBe(200);
      }
      // Reported in both cases, with the receiver that failed.
      expect(reports.list.map(({ receiver }) => receiver.name)).toEqual(['openConnection']);
      reports.stop();
      await app.close();
    }
  });

  it('costs nothing when every requestStarted receiver is synchronous (no wait, no timer)', async () => {
    const app = Fastify();
    await app.register(signalsPlugin, { awaitStart: { timeoutMs: 10_000 } });
    const order: string[] = [];
    app.signals.connect(requestStarted, () => {
      order.push('receiver');
    });
    app.addHook('onRequest', (_request, _reply, done) => {
      order.push('next onRequest hook');
      done();
    });
    app.get('/', async () => 'ok');

    await app.inject('/');

    expect(order).toEqual(['receiver', 'next onRequest hook']);
    await app.close();
  });
});
