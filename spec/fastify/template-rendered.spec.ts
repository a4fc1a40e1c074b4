import type { FastifyInstance } from 'fastify';
import { receiverErrors, signalsPlugin, templateRendered, type ReceiverError } from '../../lib';
import { VIEWS, fastifyView, quietApp } from '../testing/support/apps';

/** Connects a receiver that writes down every templateRendered event; returns the log and a stop. */
function watchRenders() {
  const renders: { template: string; context: unknown; sender: unknown }[] = [];
  const subscription = templateRendered.connect(({ template, context, sender }) => {
    renders.push({ template, context, sender });
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
    ['the plugin first', async (app: FastifyInstance) => {
      await app.register(signalsPlugin);
      await app.register(fastifyView, VIEWS);
    }],
    ['@fastify/view first', async (app: FastifyInstance) => {
      await app.register(fastifyView, VIEWS);
      await app.register(signalsPlugin);
    }],
  ])('registered with %s', (_order, register) => {
    it('sends { template, context } with the app as sender for reply.view and app.view', async () => {
      const app = newApp();
      await register(app);
      await renderRoutes(app);
      const { renders, stop } = watchRenders();
      const byReply = await app.inject('/reply');
      const byApp = await app.inject('/app');
      stop();
      expect(byReply.body).toBe('<h1>ada</h1><li>1</li><li>2</li><p>hi</p>\n');
      expect(byApp.body).toBe('<h1>bob</h1>\n');
      expect(renders).toEqual([
        { template: 'profile.hbs', context: { greeting: 'hi', user: { name: 'ada' }, items: [1, 2] }, sender: app },
        { template: 'profile.hbs', context: { user: { name: 'bob' } }, sender: app },
      ]);
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
    expect(renders.map(({ template, sender }) => [template, sender])).toEqual([
      ['profile.hbs', app],
      ['profile.hbs', app],
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
      (reply as unknown as { page: (page: string, data: object) => Promise<unknown> }).page('profile.hbs', { user: { name: 'cy' } }),
    );
    const { renders, stop } = watchRenders();
    const response = await app.inject('/');
    const html = await new Promise<string>((resolve, reject) =>
      (app as unknown as { page: Function }).page('profile.hbs', { user: { name: 'di' } }, (error: Error | null, out: string) =>
        error ? reject(error) : resolve(out),
      ),
    );
    stop();
    expect(response.body).toBe('<main><h1>cy</h1>\n</main>\n');
    expect(html).toBe('<main><h1>di</h1>\n</main>\n');
    // One event per render call: the layout is part of the render, not a render of its own.
    expect(renders.map(({ template, context }) => [template, context])).toEqual([
      ['profile.hbs', { user: { name: 'cy' } }],
      ['profile.hbs', { user: { name: 'di' } }],
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
    const subscription = templateRendered.connect(function brokenCapture() {
      throw failure;
    }, { sender: app });
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
