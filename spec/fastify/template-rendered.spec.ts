import type { FastifyInstance, FastifyRequest } from 'fastify';
import { receiverErrors, signalsPlugin, templateRendered, type ReceiverError } from '../../lib';
import { VIEWS, fastifyView, quietApp } from '../testing/support/apps';

/** Connects a receiver that writes down every templateRendered event; returns the log and a stop. */
function watchRenders() {
  const renders: { template: string; context: unknown; sender: unknown; request: FastifyRequest | undefined }[] = [];
  const subscription = templateRendered.connect(({ template, context, sender, request }) => {
    renders.push({ template, context, sender, request });
  });
  return { renders, stop: () => subscription.unsubscribe() };
}

/** Routes that render through both decorators of @fastify/view. */
async function renderRoutes(context: FastifyInstance, prefix = ''): Promise<void> {
  context.get(`${prefix}/reply`, async (_request, reply) => {
    // @fastify/view's reply.locals (untyped in its declarations): merged under the data.
    (reply as unknown as { locals: object }).locals = { greeting: 'hi' };
    return reply.view('profile.hbs', { user: { name: 'ada' }, items: [1, 2] });
  });
  context.get(`${prefix}/app`, async (_request, reply) => {
    const html = await context.view('profile.hbs', { user: { name: 'bob' } });
    return reply.type('text/html').send(html);
  });
  context.get<{ Querystring: { name: string } }>(`${prefix}/async`, async (request, reply) => {
    const html = await reply.viewAsync('profile.hbs', { user: { name: request.query.name } });
    return reply.type('text/html').send(html);
  });
}

/** Keeps the request of every request of `app`, in start order. */
function requestsOf(app: FastifyInstance): FastifyRequest[] {
  const requests: FastifyRequest[] = [];
  app.addHook('onRequest', async (request) => {
    requests.push(request);
  });
  return requests;
}

describe('templateRendered from @fastify/view', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  function newApp() {
    const app = quietApp();
    apps.push(app);
    return app;
  }

  describe.each([
    [
      'the plugin first',
      async (app: FastifyInstance) => {
        await app.register(signalsPlugin);
        await app.register(fastifyView, VIEWS);
      },
    ],
    [
      '@fastify/view first',
      async (app: FastifyInstance) => {
        await app.register(fastifyView, VIEWS);
        await app.register(signalsPlugin);
      },
    ],
  ])('registered with %s', (_order, register) => {
    it('sends { template, context, request } with the app as sender for reply.view and app.view', async () => {
      const app = newApp();
      await register(app);
      await renderRoutes(app);
      const requests = requestsOf(app);
      const { renders, stop } = watchRenders();
      const byReply = await app.inject('/reply');
      const byApp = await app.inject('/app');
      stop();
      expect(byReply.body).toBe('<h1>ada</h1><li>1</li><li>2</li><p>hi</p>\n');
      expect(byApp.body).toBe('<h1>bob</h1>\n');
      expect(renders).toEqual([
        {
          template: 'profile.hbs',
          context: { greeting: 'hi', user: { name: 'ada' }, items: [1, 2] },
          sender: app,
          request: requests[0],
        },
        // app.view belongs to no request, even when a handler calls it.
        { template: 'profile.hbs', context: { user: { name: 'bob' } }, sender: app, request: undefined },
      ]);
      expect(renders[0].request?.url).toBe('/reply');
    });

    it('ties each reply render to its own request, also for concurrent requests and reply.viewAsync', async () => {
      const app = newApp();
      await register(app);
      await renderRoutes(app);
      const { renders, stop } = watchRenders();
      const responses = await Promise.all(['ada', 'bob', 'cy'].map((name) => app.inject(`/async?name=${name}`)));
      stop();
      expect(responses.map((response) => response.body)).toEqual(['<h1>ada</h1>\n', '<h1>bob</h1>\n', '<h1>cy</h1>\n']);
      expect(renders).toHaveLength(3);
      for (const { context, request } of renders) {
        const name = (context as { user: { name: string } }).user.name;
        expect(request?.url).toBe(`/async?name=${name}`);
      }
      expect(new Set(renders.map(({ request }) => request)).size).toBe(3);
    });
  });

  it('sees @fastify/view registered in an encapsulated context below the plugin', async () => {
    const app = newApp();
    await app.register(signalsPlugin);
    await app.register(async (child) => {
      await child.register(fastifyView, VIEWS);
      await renderRoutes(child, '/child');
    });
    const { renders, stop } = watchRenders();
    await app.inject('/child/reply');
    await app.inject('/child/app');
    stop();
    expect(renders.map(({ template, sender, request }) => [template, sender, request?.url])).toEqual([
      ['profile.hbs', app, '/child/reply'],
      ['profile.hbs', app, undefined],
    ]);
  });

  it('with the plugin in an encapsulated context, only that context’s renders are sent', async () => {
    const app = newApp();
    await app.register(fastifyView, VIEWS);
    await renderRoutes(app, '/outside');
    let inside!: FastifyInstance;
    await app.register(async (child) => {
      inside = child;
      await child.register(signalsPlugin);
      await renderRoutes(child, '/inside');
    });
    const { renders, stop } = watchRenders();
    const outside = await app.inject('/outside/reply');
    await app.inject('/outside/app');
    await app.inject('/inside/reply');
    await app.inject('/inside/app');
    stop();
    expect(outside.statusCode).toBe(200);
    expect(renders.map(({ sender }) => sender)).toEqual([inside, inside]);
  });

  it('covers renders with a callback, a layout, and a custom propertyName', async () => {
    const app = newApp();
    await app.register(signalsPlugin);
    await app.register(fastifyView, { ...VIEWS, propertyName: 'page', layout: 'layout.hbs' });
    app.get('/', async (_request, reply) =>
      (reply as unknown as { page: (page: string, data: object) => Promise<unknown> }).page('profile.hbs', {
        user: { name: 'cy' },
      }),
    );
    const { renders, stop } = watchRenders();
    const response = await app.inject('/');
    const html = await new Promise<string>((resolve, reject) =>
      (app as unknown as { page: Function }).page(
        'profile.hbs',
        { user: { name: 'di' } },
        (error: Error | null, out: string) => (error ? reject(error) : resolve(out)),
      ),
    );
    stop();
    expect(response.body).toBe('<main><h1>cy</h1>\n</main>\n');
    expect(html).toBe('<main><h1>di</h1>\n</main>\n');
    // One event per render call: the layout is part of the render, not a render of its own.
    expect(renders.map(({ template, context, request }) => [template, context, request?.url])).toEqual([
      ['profile.hbs', { user: { name: 'cy' } }, '/'],
      ['profile.hbs', { user: { name: 'di' } }, undefined],
    ]);
  });

  it('a failing receiver never changes the response and is reported', async () => {
    const app = newApp();
    await app.register(signalsPlugin);
    await app.register(fastifyView, VIEWS);
    await renderRoutes(app);
    const reports: ReceiverError[] = [];
    const errors = receiverErrors.subscribe((report) => reports.push(report));
    const failure = new Error('template receiver failed');
    const subscription = templateRendered.connect(
      function brokenCapture() {
        throw failure;
      },
      { sender: app },
    );
    const response = await app.inject('/reply');
    subscription.unsubscribe();
    errors.unsubscribe();
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>ada</h1>');
    expect(reports.map(({ receiver, error, sender }) => [receiver.name, error, sender])).toEqual([
      ['brokenCapture', failure, app],
    ]);
  });

  it('renders are untouched and nothing is sent for other apps or without listeners', async () => {
    const app = newApp();
    const other = newApp();
    for (const each of [app, other]) {
      await each.register(signalsPlugin);
      await each.register(fastifyView, VIEWS);
      await renderRoutes(each);
    }
    const seen: unknown[] = [];
    const subscription = templateRendered.connect(({ sender }) => seen.push(sender), { sender: app });
    await other.inject('/reply');
    await app.inject('/reply');
    subscription.unsubscribe();
    expect(seen).toEqual([app]);
    expect((await app.inject('/reply')).statusCode).toBe(200);
  });

  it('an app with the plugin and without @fastify/view works as before', async () => {
    const app = newApp();
    await app.register(signalsPlugin);
    app.get('/', async () => ({ ok: true }));
    const { renders, stop } = watchRenders();
    const response = await app.inject('/');
    stop();
    expect(response.json()).toEqual({ ok: true });
    expect(renders).toEqual([]);
  });
});
