import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  signalsPlugin,
  type RequestLifecycleEvent,
} from '../../lib';
import { testClient } from '../../lib/testing';
import { deferred } from '../core/support/waiting';
import { get, listen } from '../fastify/support/http';
import { quietApp } from './support/apps';

const WORDS = new Map<object, string>([
  [requestStarted, 'start'],
  [gotRequestException, 'exception'],
  [requestFinished, 'finish'],
]);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * An app with a cleanup receiver (Django's close_old_connections) on the three request signals,
 * connected between two others, and routes whose handlers wait for a gate of the test.
 */
async function appWithCleanup() {
  const app = quietApp();
  await app.register(signalsPlugin);
  const calls: string[] = [];
  const note = (who: string) => (event: RequestLifecycleEvent) =>
    calls.push(`${who} ${WORDS.get(event.signal)} ${event.request.url}`);
  const before = note('before');
  const cleanup = note('cleanup');
  const after = note('after');
  for (const signal of [requestStarted, gotRequestException, requestFinished]) {
    app.signals.connect(signal as typeof requestStarted, before);
    app.signals.connect(signal as typeof requestStarted, cleanup);
    app.signals.connect(signal as typeof requestStarted, after, { dispatchUid: 'audit.after' });
  }
  const gates = new Map<string, ReturnType<typeof deferred<void>>>();
  const gate = (name: string) => {
    if (!gates.has(name)) gates.set(name, deferred());
    return gates.get(name)!;
  };
  app.get<{ Params: { name: string } }>('/gated/:name', async (request) => {
    await gate(request.params.name).promise;
    return request.params.name;
  });
  app.get('/ok', async () => 'ok');
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  const names = () =>
    [requestStarted, gotRequestException, requestFinished].map((signal) =>
      signal
        .receivers()
        .filter((info) => info.sender === app)
        .map((info) => info.receiver),
    );
  return { app, calls, cleanup, after, gate, names };
}

describe('testClient(app, { mute })', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  async function setup() {
    const built = await appWithCleanup();
    apps.push(built.app);
    return built;
  }

  it('mutes the listed receivers for the whole of the client’s request; the others run; nothing moves', async () => {
    const { app, calls, cleanup, names } = await setup();
    const order = names();
    const client = testClient(app, { mute: [cleanup] });
    const ok = await client.get('/ok');
    const boom = await client.get('/boom');
    expect([ok.marbles, boom.marbles]).toEqual(['sf', 'sxf']);
    expect(calls).toEqual([
      'before start /ok',
      'after start /ok',
      'before finish /ok',
      'after finish /ok',
      'before start /boom',
      'after start /boom',
      'before exception /boom',
      'after exception /boom',
      'before finish /boom',
      'after finish /boom',
    ]);
    expect(names()).toEqual(order);
    calls.length = 0;
    await app.inject('/ok'); // outside the client: the receiver is back, in its place
    expect(calls).toEqual([
      'before start /ok',
      'cleanup start /ok',
      'after start /ok',
      'before finish /ok',
      'cleanup finish /ok',
      'after finish /ok',
    ]);
  });

  it('names receivers by dispatchUid too, and a receiver connected nowhere is fine', async () => {
    const { app, calls } = await setup();
    await testClient(app, { mute: ['audit.after', function notConnected() {}] }).get('/ok');
    expect(calls).toEqual(['before start /ok', 'cleanup start /ok', 'before finish /ok', 'cleanup finish /ok']);
  });

  it('mutes only its own request’s events: concurrent requests outside the client and of other clients still reach them', async () => {
    const { app, calls, cleanup, gate } = await setup();
    const muting = testClient(app, { mute: [cleanup] });
    const plain = testClient(app);
    const mine = muting.get('/gated/mine');
    const mineToo = muting.get('/gated/mine-too');
    await nextTurn();
    const outside = app.inject('/gated/outside');
    const other = plain.get('/gated/other');
    await nextTurn();
    for (const name of ['outside', 'mine-too', 'other', 'mine']) {
      gate(name).resolve(undefined);
      await nextTurn();
    }
    await Promise.all([mine, mineToo, outside, other]);
    const cleanupCalls = calls.filter((call) => call.startsWith('cleanup'));
    expect(cleanupCalls.sort()).toEqual([
      'cleanup finish /gated/other',
      'cleanup finish /gated/outside',
      'cleanup start /gated/other',
      'cleanup start /gated/outside',
    ]);
    expect(calls.filter((call) => call.startsWith('after')).length).toBe(8);
  });

  it('does not mute a request arriving on a real socket while the client’s request is in flight', async () => {
    const { app, calls, cleanup, gate } = await setup();
    const port = await listen(app);
    const mine = testClient(app, { mute: [cleanup] }).get('/gated/mine');
    await nextTurn();
    const socketRequest = get(port, '/gated/socket');
    await new Promise<void>((resolve) => {
      const poll = () => (calls.includes('after start /gated/socket') ? resolve() : setTimeout(poll, 5));
      poll();
    });
    gate('socket').resolve(undefined);
    expect((await socketRequest).body).toBe('socket');
    gate('mine').resolve(undefined);
    expect((await mine).marbles).toBe('sf');
    expect(calls.filter((call) => call.startsWith('cleanup'))).toEqual([
      'cleanup start /gated/socket',
      'cleanup finish /gated/socket',
    ]);
  });

  it('keeps the mute until the late requestFinished of a streamed response, and mutes a receiver connected meanwhile', async () => {
    const { app, calls, cleanup } = await setup();
    const end = deferred();
    const lateCalls: string[] = [];
    function connectedLate() {
      lateCalls.push('late');
    }
    app.get('/export', (_request, reply) => {
      const stream = new PassThrough();
      void reply.send(stream);
      stream.write('first\n');
      app.signals.connect(requestFinished, connectedLate); // connected after the start
      void end.promise.then(() => stream.end('last\n'));
    });
    const pending = testClient(app, { mute: [cleanup, connectedLate] }).get('/export');
    await nextTurn();
    await nextTurn();
    end.resolve();
    const response = await pending;
    expect([response.body, response.marbles, response.outcome]).toEqual(['first\nlast\n', 'sf', 'completed']);
    expect(calls).toEqual([
      'before start /export',
      'after start /export',
      'before finish /export',
      'after finish /export',
    ]);
    expect(lateCalls).toEqual([]);
    await app.inject('/ok');
    expect(lateCalls).toEqual(['late']);
  });

  it('covers the finish of a request whose response is destroyed: the client rejects with inject()’s error after it', async () => {
    const { app, calls, cleanup } = await setup();
    app.get('/abort', (_request, reply) => {
      reply.raw.destroy();
    });
    let finished: unknown;
    app.signals.connect(requestFinished, ({ outcome }) => (finished = outcome));
    await expect(testClient(app, { mute: [cleanup] }).get('/abort')).rejects.toThrow(
      'response destroyed before completion',
    );
    expect(finished).toBe('aborted');
    expect(calls).toEqual(['before start /abort', 'after start /abort', 'before finish /abort', 'after finish /abort']);
    await app.inject('/ok');
    expect(calls).toContain('cleanup finish /ok');
  });

  it('mutes a receiver connected globally (not through app.signals) as well', async () => {
    const { app, calls } = await setup();
    const seen: string[] = [];
    function globalCleanup({ request }: { request: { url: string } }) {
      seen.push(request.url);
    }
    const subscription = requestFinished.connect(globalCleanup);
    await testClient(app, { mute: [globalCleanup] }).get('/ok');
    await app.inject('/boom');
    subscription.unsubscribe();
    expect(seen).toEqual(['/boom']);
    expect(calls).toContain('cleanup finish /ok');
  });
});
