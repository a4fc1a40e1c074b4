import { PassThrough, Readable } from 'node:stream';
import { setImmediate as realSetImmediate } from 'node:timers';
import type { FastifyInstance } from 'fastify';
import { gotRequestException, requestFinished, requestStarted, signalsPlugin, templateRendered } from '../../lib';
import { testClient } from '../../lib/testing';
import { deferred } from '../core/support/waiting';
import { VIEWS, fastifyView, quietApp } from './support/apps';

describe('testClient', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  async function appWithViews() {
    const app = quietApp();
    apps.push(app);
    await app.register(signalsPlugin);
    await app.register(fastifyView, VIEWS);
    return app;
  }

  it('resolves with the response plus templates, context, contexts, events, outcome, elapsedMs and marbles', async () => {
    const app = await appWithViews();
    const user = { name: 'ada' };
    app.get('/profile', async (_request, reply) => {
      const html = await reply.view('profile.hbs', { user, items: [1] });
      user.name = 'changed after the render'; // the context is a copy made at render time
      return html;
    });
    let finished: unknown;
    app.signals.connect(requestFinished, (event) => (finished = event));

    const response = await testClient(app).get('/profile');

    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('<h1>ada</h1><li>1</li>\n');
    expect(response.templates).toEqual(['profile.hbs']);
    expect(response.context).toEqual({ user: { name: 'ada' }, items: [1] });
    expect(response.contexts).toEqual([response.context]);
    expect(response.events.map((event) => event.signal)).toEqual([requestStarted, templateRendered, requestFinished]);
    expect(response.events[2]).toBe(finished);
    expect(response.marbles).toBe('stf');
    expect(response.outcome).toBe('completed');
    expect(response.elapsedMs).toBe((finished as { elapsedMs: number }).elapsedMs);
    expect(response.exceptions).toEqual([]);
    expect(response.redirects).toEqual([]);
  });

  it('gives the exceptions of a failing request, and no context when nothing rendered', async () => {
    const app = await appWithViews();
    const failure = new Error('boom');
    app.get('/boom', async () => {
      throw failure;
    });
    const response = await testClient(app).get('/boom');
    expect(response.statusCode).toBe(500);
    expect(response.exceptions).toEqual([failure]);
    expect(response.outcome).toBe('errored');
    expect(response.marbles).toBe('sxf');
    expect(response.context).toBeUndefined();
    expect(response.templates).toEqual([]);
  });

  it('counts app.view renders made while handling the request, and a 404 as a completed request', async () => {
    const app = await appWithViews();
    app.get('/app-view', async (_request, reply) =>
      reply.type('text/html').send(await app.view('profile.hbs', { user: { name: 'bo' } })),
    );
    const client = testClient(app);
    const response = await client.get('/app-view');
    expect(response.templates).toEqual(['profile.hbs']);
    expect(response.context).toEqual({ user: { name: 'bo' } });
    const missing = await client.get('/nowhere');
    expect([missing.statusCode, missing.outcome, missing.marbles]).toEqual([404, 'completed', 'sf']);
  });

  it('resolves only after requestFinished, for a streamed response too', async () => {
    const app = await appWithViews();
    const gate = deferred();
    app.get('/export', (_request, reply) => {
      const stream = new PassThrough();
      void reply.send(stream);
      stream.write('first\n');
      void gate.promise.then(() => stream.end('last\n'));
    });
    const order: string[] = [];
    app.signals.connect(requestFinished, function noteFinish() {
      order.push('requestFinished');
    });
    const pending = testClient(app)
      .get('/export')
      .then((response) => {
        order.push('resolved');
        return response;
      });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    gate.resolve();
    const response = await pending;
    expect(order).toEqual(['requestFinished', 'resolved']);
    expect(response.body).toBe('first\nlast\n');
    expect(response.marbles).toBe('sf');
  });

  it('ties events to their request: concurrent requests (and requests outside the client) never see each other’s', async () => {
    const app = await appWithViews();
    const gates = new Map(['ada', 'bob', 'cy', 'outside'].map((name) => [name, deferred()]));
    app.get<{ Params: { name: string } }>('/users/:name', async (request, reply) => {
      const { name } = request.params;
      await gates.get(name)!.promise;
      if (name === 'bob') throw new Error('bob fails');
      return reply.view('profile.hbs', { user: { name } });
    });
    const client = testClient(app);
    const other = testClient(app);
    const ada = client.get('/users/ada');
    const bob = other.get('/users/bob');
    const cy = client.get('/users/cy');
    const outside = app.inject('/users/outside');
    // Let them all start, then finish them in another order than they started.
    await new Promise((resolve) => setImmediate(resolve));
    for (const name of ['cy', 'outside', 'bob', 'ada']) {
      gates.get(name)!.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [adaResponse, bobResponse, cyResponse] = await Promise.all([ada, bob, cy]);
    await outside;

    expect(adaResponse.contexts).toEqual([{ user: { name: 'ada' } }]);
    expect(cyResponse.contexts).toEqual([{ user: { name: 'cy' } }]);
    expect([adaResponse.marbles, bobResponse.marbles, cyResponse.marbles]).toEqual(['stf', 'sxf', 'stf']);
    expect(bobResponse.exceptions.map((error) => error.message)).toEqual(['bob fails']);
    for (const response of [adaResponse, bobResponse, cyResponse]) {
      const urls = new Set(response.events.map((event) => event.request?.url));
      expect(urls).toEqual(new Set([response.raw.req.url]));
    }
  });

  it('follows the request on the error path that starts it late (an onRequest hook before the plugin fails)', async () => {
    const app = quietApp();
    apps.push(app);
    app.addHook('onRequest', async () => {
      throw new Error('rejected before the plugin');
    });
    await app.register(signalsPlugin);
    app.get('/', async () => 'never');
    const response = await testClient(app).get('/');
    expect([response.statusCode, response.marbles, response.outcome]).toEqual([500, 'sxf', 'errored']);
  });

  it('claims its request after async hooks before the plugin and with a streamed request body', async () => {
    const app = quietApp();
    apps.push(app);
    app.addHook('onRequest', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5)); // the plugin's hook runs in a timer's continuation
    });
    await app.register(signalsPlugin);
    app.post('/upload', async (request) => ({ got: request.body }));
    const client = testClient(app);
    const [streamed, other] = await Promise.all([
      client.post('/upload', {
        payload: Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]),
        headers: { 'content-type': 'application/json' },
      }),
      client.post('/upload', { payload: { b: 2 } }),
    ]);
    expect([streamed.json(), streamed.marbles]).toEqual([{ got: { a: 1 } }, 'sf']);
    expect([other.json(), other.marbles]).toEqual([{ got: { b: 2 } }, 'sf']);
    expect(streamed.events[0].request).not.toBe(other.events[0].request);
  });

  it('rejects, saying why, when signalsPlugin never saw the request', async () => {
    const app = quietApp();
    apps.push(app);
    app.addHook('onRequest', async (_request, reply) => reply.code(403).send('no')); // answers before the plugin
    await app.register(signalsPlugin);
    await expect(testClient(app).get('/x')).rejects.toThrow(
      /signalsPlugin never saw the request GET \/x \(no requestStarted\).*Register signalsPlugin first/,
    );
  });

  it('listens only while a request is in flight (and one turn of the event loop): afterwards the signals are as before', async () => {
    const app = await appWithViews();
    app.get('/', async () => String(requestFinished.hasListeners(app)));
    const client = testClient(app);
    await new Promise((resolve) => setImmediate(resolve)); // the previous test's client lets go
    expect(requestStarted.hasListeners()).toBe(false);
    expect((await client.get('/')).body).toBe('true');
    await new Promise((resolve) => setImmediate(resolve)); // sequential requests share the subscription until then
    for (const signal of [requestStarted, gotRequestException, requestFinished, templateRendered]) {
      expect(signal.hasListeners()).toBe(false);
    }
  });

  it('lets go of the signals at the next turn under Jest fake timers too (a faked setImmediate held them until the test advanced timers)', async () => {
    const app = await appWithViews();
    app.get('/', async () => 'ok');
    await app.ready();
    await new Promise((resolve) => realSetImmediate(resolve)); // the previous test's client lets go
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }); // Fastify needs those two
    try {
      const muting = testClient(app, { mute: ['never.connected'] });
      expect((await muting.get('/')).marbles).toBe('sf');
      await new Promise((resolve) => realSetImmediate(resolve));
      expect(requestStarted.hasListeners()).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('passes a template context whose copy throws on to the caller, after the request finished', async () => {
    const app = await appWithViews();
    const failure = new Error('getter failed');
    app.get('/', async (_request, reply) =>
      reply.view('profile.hbs', {
        get user(): never {
          throw failure;
        },
      }),
    );
    await expect(testClient(app).get('/')).rejects.toBe(failure);
    await new Promise((resolve) => setImmediate(resolve));
    expect(requestFinished.hasListeners()).toBe(false);
  });
});
