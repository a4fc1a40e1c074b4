import type { FastifyInstance } from 'fastify';
import { signalsPlugin, templateRendered } from '../../lib';
import { captureTemplates } from '../../lib/testing';
import { VIEWS, fastifyView, quietApp } from './support/apps';

class Money {
  constructor(readonly cents: number) {}
}

async function appWithViews(): Promise<FastifyInstance> {
  const app = quietApp();
  await app.register(signalsPlugin);
  await app.register(fastifyView, VIEWS);
  app.get('/profile', async (_request, reply) => {
    const data = { user: { name: 'ada' }, items: ['a'], balance: new Money(100) };
    const html = await reply.viewAsync('profile.hbs', data);
    // Mutated after the render started: the captured context must not show it.
    data.user.name = 'changed';
    data.items.push('b');
    return reply.type('text/html').send(html);
  });
  app.get('/twice', async (_request, reply) => {
    const first = await app.view('profile.hbs', { user: { name: 'one' } });
    const second = await app.view('profile.hbs', { user: { name: 'two' } });
    return reply.type('text/html').send(first + second);
  });
  return app;
}

describe('captureTemplates', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await appWithViews();
  });
  afterEach(() => app.close());

  it('returns fn’s result with the templates and contexts, copied when the render started', async () => {
    const { result, templates, contexts } = await captureTemplates(() => app.inject('/profile'));
    expect(result.statusCode).toBe(200);
    expect(templates).toEqual(['profile.hbs']);
    expect(contexts).toEqual([{ user: { name: 'ada' }, items: ['a'], balance: new Money(100) }]);
    expect(contexts[0].balance).toBeInstanceOf(Money); // class instances are shared, not flattened
  });

  it('captures every render in order, and stops capturing afterwards', async () => {
    const { templates, contexts } = await captureTemplates(async () => {
      await app.inject('/twice');
      return app.inject('/profile');
    });
    expect(templates).toEqual(['profile.hbs', 'profile.hbs', 'profile.hbs']);
    expect(contexts.map((context) => (context.user as { name: string }).name)).toEqual(['one', 'two', 'ada']);
    expect(templateRendered.hasListeners()).toBe(false);
  });

  it('options.sender keeps only one app’s renders', async () => {
    const other = await appWithViews();
    try {
      const { templates, contexts } = await captureTemplates(
        async () => {
          await other.inject('/twice');
          await app.inject('/profile');
        },
        { sender: app },
      );
      expect(templates).toEqual(['profile.hbs']);
      expect((contexts[0].user as { name: string }).name).toBe('ada');
    } finally {
      await other.close();
    }
  });

  it('passes fn’s error on and stops capturing', async () => {
    await expect(
      captureTemplates(async () => {
        await app.inject('/profile');
        throw new Error('assertion inside failed');
      }),
    ).rejects.toThrow('assertion inside failed');
    expect(templateRendered.hasListeners()).toBe(false);
  });

  it('a context that cannot be copied fails the capture, not the process', async () => {
    app.get('/getter', async (_request, reply) => {
      const data = {
        get secret(): string {
          throw new Error('getter exploded');
        },
      };
      const html = await app.view('profile.hbs', { user: { name: 'x' }, nested: data });
      return reply.type('text/html').send(html);
    });
    await expect(captureTemplates(() => app.inject('/getter'))).rejects.toThrow('getter exploded');
  });

  it('rejects bad input with TypeErrors', async () => {
    await expect(captureTemplates('inject' as never)).rejects.toThrow(/captureTemplates\(fn\): fn must be a function/);
    await expect(captureTemplates(() => 1, { sendr: app } as never)).rejects.toThrow(/unknown option "sendr"/);
    await expect(captureTemplates(() => 1, { sender: 'app' as never })).rejects.toThrow(
      /options.sender must be the app/,
    );
  });
});
