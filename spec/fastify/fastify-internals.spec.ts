import Fastify, { type FastifyInstance } from 'fastify';
import { signalsPlugin } from '../../lib';
import { fastifySymbol } from '../../lib/fastify/fastify-internals';
import { VIEWS, fastifyView } from '../testing/support/apps';

/** A callback-style onReady hook that never calls back. */
function stuckUserHook(_done: () => void): void {}

/** Registers what `setup` says on an app with a 200 ms hook timeout, and returns why ready() failed. */
async function readyError(setup: (app: FastifyInstance) => Promise<void>): Promise<string> {
  const app = Fastify({ pluginTimeout: 200 });
  try {
    await setup(app);
    await app.ready();
    return 'ready';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await app.close().catch(() => undefined);
  }
}

describe("the plugin and Fastify's hooks", () => {
  it.each<[string, (app: FastifyInstance) => Promise<void>]>([
    [
      'the user hook added before the plugin is registered',
      async (app) => {
        app.addHook('onReady', stuckUserHook);
        await app.register(signalsPlugin);
      },
    ],
    [
      'the user hook added after',
      async (app) => {
        await app.register(signalsPlugin);
        app.addHook('onReady', stuckUserHook);
      },
    ],
    [
      'the plugin in a child context, the user hook at the root',
      async (app) => {
        app.addHook('onReady', stuckUserHook);
        await app.register(async (child) => {
          await child.register(signalsPlugin);
        });
      },
    ],
    [
      '@fastify/view registered too (the plugin has renders to instrument)',
      async (app) => {
        app.addHook('onReady', stuckUserHook);
        await app.register(fastifyView, VIEWS);
        await app.register(signalsPlugin);
      },
    ],
  ])(
    "a stuck user onReady hook is the one Fastify's timeout error names, not the plugin's (regression: it named instrumentViewRenders) — %s",
    async (_case, setup) => {
      const message = await readyError(setup);

      expect(message).toMatch(/'onReady' hook "stuckUserHook" timed out/);
      expect(message).not.toMatch(/instrumentViewRenders/);
    },
  );

  it('the internal symbols the plugin relies on exist in the installed Fastify (an upgrade that renames them fails here)', async () => {
    const app = Fastify();
    await app.register(async (child) => {
      child.get('/', async () => 'ok');
    });
    await app.ready();

    for (const description of ['fastify.Reply', 'fastify.children', 'fastify.hooks']) {
      expect(fastifySymbol(app, description)).toEqual(expect.any(Symbol));
    }
    const hooks = (app as unknown as Record<symbol, { onReady: unknown }>)[fastifySymbol(app, 'fastify.hooks')!];
    expect(Array.isArray(hooks.onReady)).toBe(true);
    expect((app as unknown as Record<symbol, unknown[]>)[fastifySymbol(app, 'fastify.children')!]).toHaveLength(1);
    await app.close();
  });
});
