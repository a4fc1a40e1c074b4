import Fastify, { type FastifyInstance } from 'fastify';
import { gotRequestException, requestFinished, requestStarted, signalsPlugin } from '../../lib';
import { until } from '../core/support/waiting';
import { LifecycleLog } from './support/lifecycle-log';
import { collectReports } from './support/reports';
import { capturedLogs } from '../support/captured-logs';

/**
 * Registers the plugin on `app`, with a `/ok` route and a `requestFinished` receiver,
 * `closeStaleConnections`, that always fails ('pool exhausted').
 */
async function withFailingFinishReceiver(app: FastifyInstance): Promise<FastifyInstance> {
  await app.register(signalsPlugin);
  app.signals.connect(requestFinished, function closeStaleConnections() {
    throw new Error('pool exhausted');
  });
  app.get('/ok', async () => 'ok');
  return app;
}

/** Runs `test` with `console.error` replaced by a silent Jest spy, restored afterwards (also when it fails). */
async function withConsoleErrorSpy(test: (consoleError: jest.SpyInstance) => Promise<void>): Promise<void> {
  const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await test(consoleError);
  } finally {
    consoleError.mockRestore();
  }
}

/** Registers the routes whose responses must not change, whatever the receivers do. */
function routes(app: FastifyInstance): void {
  app.get('/ok', async () => ({ ok: true }));
  app.get('/fails', async () => {
    throw Object.assign(new Error('handler failure'), { statusCode: 418 });
  });
}

async function responsesOf(app: FastifyInstance) {
  const ok = await app.inject('/ok');
  const fails = await app.inject('/fails');
  const missing = await app.inject('/missing');
  return [ok, fails, missing].map((response) => ({ status: response.statusCode, body: response.body }));
}

describe('signalsPlugin never gets in the way', () => {
  it('receivers that throw or reject on every signal leave every response exactly as without them', async () => {
    const plain = Fastify();
    routes(plain);
    const expected = await responsesOf(plain);
    await plain.close();

    const reports = collectReports();
    const app = Fastify();
    await app.register(signalsPlugin);
    routes(app);
    app.signals.connect(requestStarted, function throwsOnStart() {
      throw new Error('start receiver failed');
    });
    app.signals.connect(requestStarted, async function rejectsOnStart() {
      throw new Error('async start receiver failed');
    });
    app.signals.connect(gotRequestException, function throwsOnException() {
      throw new Error('exception receiver failed');
    });
    app.signals.connect(requestFinished, function throwsOnFinish() {
      throw new Error('finish receiver failed');
    });
    const log = new LifecycleLog(app); // connected after the failing ones: still called

    expect(await responsesOf(app)).toEqual(expected);
    expect(expected.map(({ status }) => status)).toEqual([200, 418, 404]);
    await log.until(() => log.finishes().length === 3, '3 finishes');
    expect(log.all()).toEqual([
      '/ok requestStarted',
      '/ok requestFinished:completed',
      '/fails requestStarted',
      '/fails gotRequestException',
      '/fails requestFinished:errored',
      '/missing requestStarted',
      '/missing requestFinished:completed',
    ]);
    await until(() => reports.list.length === 10);
    expect(reports.list.map(({ receiver }) => receiver.name).sort()).toEqual(
      [
        ...['throwsOnStart', 'rejectsOnStart', 'throwsOnFinish'],
        ...['throwsOnStart', 'rejectsOnStart', 'throwsOnException', 'throwsOnFinish'],
        ...['throwsOnStart', 'rejectsOnStart', 'throwsOnFinish'],
      ].sort(),
    );
    expect(reports.list.every(({ sender }) => sender === app)).toBe(true);
    reports.stop();
    await app.close();
  });

  it("logs each failure once through the request's logger, naming the signal and the receiver", async () => {
    const { logger, lines } = capturedLogs();
    const app = await withFailingFinishReceiver(Fastify({ logger }));
    app.signals.connect(requestStarted, async function warmCache() {
      throw new Error('cache offline');
    });

    const response = await app.inject('/ok');
    await until(() => lines.filter((line) => line.level === 50).length === 2);

    expect(response.statusCode).toBe(200);
    const requestLine = lines.find((line) => line.msg === 'incoming request')!;
    const failures = lines.filter((line) => line.level === 50);
    expect(failures).toEqual([
      expect.objectContaining({
        reqId: requestLine.reqId, // the request's child logger
        signal: 'requestStarted',
        receiver: 'warmCache',
        err: expect.objectContaining({ message: 'cache offline' }),
        msg: 'rx-signals: receiver warmCache of requestStarted failed',
      }),
      expect.objectContaining({
        reqId: requestLine.reqId,
        signal: 'requestFinished',
        receiver: 'closeStaleConnections',
        err: expect.objectContaining({ message: 'pool exhausted' }),
      }),
    ]);
    await app.close();
  });

  it('reports to receiverErrors as well when someone subscribes, and never to console.error when logged', async () => {
    const app = await withFailingFinishReceiver(Fastify({ logger: capturedLogs().logger }));
    await withConsoleErrorSpy(async (consoleError) => {
      await app.inject('/ok'); // logged, nobody subscribed: no console fallback
      expect(consoleError).not.toHaveBeenCalled();

      const reports = collectReports();
      await app.inject('/ok');
      expect(reports.list).toEqual([
        expect.objectContaining({ signal: requestFinished, sender: app, error: new Error('pool exhausted') }),
      ]);
      expect(reports.list[0].receiver.name).toBe('closeStaleConnections');
      reports.stop();
    });
    await app.close();
  });

  it("with Fastify's logger off and nobody subscribed, the core's console.error fallback still reports it", async () => {
    const app = await withFailingFinishReceiver(Fastify()); // logger off: request.log writes nowhere
    await withConsoleErrorSpy(async (consoleError) => {
      expect((await app.inject('/ok')).statusCode).toBe(200);
      expect(consoleError).toHaveBeenCalledTimes(1);
      expect(String(consoleError.mock.calls[0][0])).toMatch(
        /receiver closeStaleConnections of signal "requestFinished" failed/,
      );
    });
    await app.close();
  });

  it('follows no request and builds no payload while nobody listens to this app', async () => {
    const countingRoute = (app: FastifyInstance) => {
      let counts: number[] = [];
      app.get('/count', async (_request, reply) => {
        counts = [reply.raw.listenerCount('finish'), reply.raw.listenerCount('close')];
        return 'ok';
      });
      return async () => {
        await app.inject('/count');
        return counts;
      };
    };
    const plain = Fastify();
    const plainCounts = await countingRoute(plain)();
    await plain.close();

    const other = Fastify();
    const app = Fastify();
    await app.register(signalsPlugin);
    const countListeners = countingRoute(app);
    // A receiver of another app's requests: not ours.
    const elsewhere = requestStarted.connect(() => undefined, { sender: other });
    expect(await countListeners()).toEqual(plainCounts);

    const ours = app.signals.connect(requestFinished, () => undefined);
    expect(await countListeners()).toEqual([plainCounts[0] + 1, plainCounts[1] + 1]);

    ours.unsubscribe();
    expect(await countListeners()).toEqual(plainCounts);
    elsewhere.unsubscribe();
    await app.close();
    await other.close();
  });
});
