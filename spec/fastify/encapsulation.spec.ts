import Fastify, { type FastifyInstance } from 'fastify';
import { receiver, requestFinished, requestStarted, signalsPlugin } from '../../lib';

/**
 * Injects `urls` into `app`, one after the other, and returns every request event of any sender
 * meanwhile, as `url signal sender-name` (`senders` names them; any other is 'unknown').
 */
async function eventsWhileInjecting(
  app: FastifyInstance,
  senders: Record<string, FastifyInstance>,
  urls: readonly string[],
): Promise<string[]> {
  await app.ready();
  const nameOf = (sender: unknown) => Object.keys(senders).find((name) => senders[name] === sender) ?? 'unknown';
  const lines: string[] = [];
  const subscription = receiver([requestStarted, requestFinished], (event) => {
    lines.push(`${event.request.url} ${event.signal.name} ${nameOf(event.sender)}`);
  });
  try {
    for (const url of urls) await app.inject(url);
  } finally {
    subscription.unsubscribe();
  }
  return lines;
}

describe('signalsPlugin and Fastify encapsulation', () => {
  it("registered inside an encapsulated plugin, it sees only that plugin's routes, with that instance as sender", async () => {
    const app = Fastify();
    let scope!: FastifyInstance;
    app.get('/outside', async () => 'outside');
    await app.register(
      async (child) => {
        await child.register(signalsPlugin);
        scope = child;
        child.get('/inside', async () => 'inside');
        await child.register(async (grandchild) => {
          grandchild.get('/nested', async () => 'nested');
        });
      },
      { prefix: '/api' },
    );
    const lines = await eventsWhileInjecting(app, { scope, root: app }, ['/outside', '/api/inside', '/api/nested']);

    expect(lines).toEqual([
      '/api/inside requestStarted scope',
      '/api/inside requestFinished scope',
      '/api/nested requestStarted scope',
      '/api/nested requestFinished scope',
    ]);
    expect(app.signals).toBeUndefined();
    expect(scope.signals.requestFinished$).toBeDefined();
    await app.close();
  });

  it('sibling plugins each with their own registration send as their own sender, for their own routes', async () => {
    const app = Fastify();
    const scopes: FastifyInstance[] = [];
    for (const name of ['billing', 'search']) {
      await app.register(
        async (child) => {
          await child.register(signalsPlugin);
          scopes.push(child);
          child.get('/', async () => name);
        },
        { prefix: `/${name}` },
      );
    }
    await app.ready();
    const [billing, search] = scopes;
    const billingUrls: string[] = [];
    const searchUrls: string[] = [];
    billing.signals.requestFinished$.subscribe(({ request }) => billingUrls.push(request.url));
    search.signals.requestFinished$.subscribe(({ request }) => searchUrls.push(request.url));

    await app.inject('/billing/');
    await app.inject('/search/');
    await app.inject('/billing/');

    expect(billingUrls).toEqual(['/billing/', '/billing/']);
    expect(searchUrls).toEqual(['/search/']);
    await app.close();
  });

  it('registered at the root and again in a child context: two senders, each sending once per request', async () => {
    const app = Fastify();
    await app.register(signalsPlugin);
    let scope!: FastifyInstance;
    app.get('/root-route', async () => 'root');
    await app.register(async (child) => {
      await child.register(signalsPlugin);
      scope = child;
      child.get('/child-route', async () => 'child');
    });
    const lines = await eventsWhileInjecting(app, { scope, root: app }, ['/root-route', '/child-route']);

    expect(lines).toEqual([
      '/root-route requestStarted root',
      '/root-route requestFinished root',
      '/child-route requestStarted root',
      '/child-route requestStarted scope',
      '/child-route requestFinished root',
      '/child-route requestFinished scope',
    ]);
    await app.close();
  });
});
