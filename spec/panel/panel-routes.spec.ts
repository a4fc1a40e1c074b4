import Fastify, { type FastifyInstance } from 'fastify';
import { BUILT_IN_SIGNALS, Signal, signalsPanel, signalsPlugin, type SignalsPanelOptions } from '../../lib';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function appWithPanel(options?: SignalsPanelOptions): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  await app.register(signalsPlugin);
  await app.register(signalsPanel, options ?? {});
  app.get('/ok', async () => 'ok');
  await app.ready();
  return app;
}

describe('signalsPanel routes', () => {
  it('serves a self-contained page, script and stylesheet under the default prefix', async () => {
    const app = await appWithPanel();
    const page = await app.inject('/_signals');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.body).toContain('<script src="/_signals/panel.js"></script>');
    expect((await app.inject('/_signals/')).statusCode).toBe(200);

    const script = await app.inject('/_signals/panel.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('new EventSource(');
    expect(script.body).not.toMatch(/^\s*(import|export)\s/m); // one self-contained script, no modules
    const style = await app.inject('/_signals/panel.css');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');

    // No CDN, no web font, no remote anything: the machine may have no internet.
    for (const body of [page.body, script.body, style.body]) {
      expect(body).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
      expect(body).not.toMatch(/(src|href)="\/\//);
      expect(body).not.toContain('@import');
    }
    // Data is inserted as text, never parsed as HTML.
    expect(script.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it('lives under a custom prefix, and only there', async () => {
    const app = await appWithPanel({ prefix: '/admin/signals' });
    const page = await app.inject('/admin/signals');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-base="/admin/signals"');
    expect((await app.inject('/_signals')).statusCode).toBe(404);
  });

  it('lists the signals it was given, each with its receivers', async () => {
    const orderPlaced = new Signal<{ orderId: string }>('orderPlaced');
    const app = await appWithPanel({ signals: [orderPlaced, ...BUILT_IN_SIGNALS] });
    const subscription = orderPlaced.connect(function sendReceipt() {}, { sender: 'shop', dispatchUid: 'receipts' });
    try {
      const response = await app.inject('/_signals/signals.json');
      const { signals } = response.json() as { signals: { name: string; receivers: unknown[] }[] };
      expect(signals.map((signal) => signal.name)).toEqual([
        'orderPlaced',
        'requestStarted',
        'gotRequestException',
        'requestFinished',
        'templateRendered',
        'settingChanged',
      ]);
      expect(signals[0].receivers).toEqual([
        {
          name: 'sendReceipt',
          sender: '"shop"',
          paused: false,
          dispatchUid: 'receipts',
          weak: false,
          operators: 0,
          own: false,
        },
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('runs the onRequest option before every panel route, and no other route', async () => {
    const app = await appWithPanel({
      onRequest: async (request, reply) => {
        if (request.headers.authorization !== 'Bearer let-me-in') {
          await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
        }
      },
    });
    for (const path of [
      '/_signals',
      '/_signals/panel.js',
      '/_signals/panel.css',
      '/_signals/signals.json',
      '/_signals/events',
    ]) {
      const refused = await app.inject(path);
      expect([path, refused.statusCode]).toEqual([path, 401]);
      expect(refused.body).not.toContain('requestFinished');
    }
    const allowed = await app.inject({ url: '/_signals', headers: { authorization: 'Bearer let-me-in' } });
    expect(allowed.statusCode).toBe(200);
    expect((await app.inject('/ok')).statusCode).toBe(200); // the app's own routes are untouched
  });

  it('fails register with a clear TypeError for bad options', async () => {
    const cases: [unknown, RegExp][] = [
      [{ prefix: 'signals' }, /options\.prefix must be a path such as '\/_signals'/],
      [{ prefix: '/_signals/' }, /no trailing slash/],
      [{ prefix: '/"><script>' }, /options\.prefix must be a path/],
      [{ signals: [] }, /options\.signals must be a non-empty array of Signals/],
      [{ signals: [{ name: 'fake' }] }, /options\.signals\[0\] must be a Signal/],
      [{ signals: [new Signal('twin'), new Signal('twin')] }, /two signals named "twin"/],
      [{ maxClients: 0 }, /options\.maxClients must be from 1 to 1000, got the number 0/],
      [{ maxClients: 1.5 }, /options\.maxClients must be a whole number from 1 to 1000/],
      [
        { onRequest: 'admin-only' },
        /options\.onRequest must be a function \(request, reply\) run before every panel route/,
      ],
      [{ updateIntervalMs: 1 }, /options\.updateIntervalMs must be from 10 to 2147483647/],
      [{ errorMessages: 'no' }, /options\.errorMessages must be true or false, got the string "no"/],
      [{ timelineRequests: '50' }, /options\.timelineRequests must be a whole number from 1 to 1000/],
      [{ bridge: { instanceId: 'web-1' } }, /options\.bridge must be a cross-instance bridge/],
      [{ maxClient: 3 }, /unknown option "maxClient"/],
    ];
    for (const [options, message] of cases) {
      const app = Fastify();
      apps.push(app);
      await app.register(signalsPlugin);
      await expect(app.register(signalsPanel, options as SignalsPanelOptions)).rejects.toThrow(message);
    }
  });

  // setTimeout and setInterval turn a delay above 2^31-1 ms into 1 ms: a 1 ms timer loop.
  it.each([
    ['updateIntervalMs', 2 ** 31],
    ['statsWindowMs', 2 ** 31],
    ['clusterIntervalMs', 2 ** 40],
    ['timelineRequests', 0],
    ['timelineRequests', 1001],
  ])('refuses %s = %d with a RangeError that gives the allowed range', async (name, value) => {
    const app = Fastify();
    apps.push(app);
    await app.register(signalsPlugin);
    const registering = app.register(signalsPanel, { [name]: value });
    await expect(registering).rejects.toThrow(RangeError);
    await expect(registering).rejects.toThrow(
      new RegExp(`options\\.${name} must be from \\d+ to \\d+, got the number ${value}`),
    );
  });

  it("accepts Fastify's own register options and applies them to the panel's routes", async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
    apps.push(app);
    await app.register(signalsPlugin);
    await app.register(signalsPanel, { prefix: '/ops/signals', logLevel: 'silent', logSerializers: {} });
    app.get('/ok', async () => 'ok');
    expect((await app.inject('/ops/signals')).statusCode).toBe(200);
    expect(lines.filter((line) => line.includes('/ops/signals'))).toEqual([]); // logLevel: 'silent' reached the routes
    await app.inject('/ok');
    expect(lines.some((line) => line.includes('"url":"/ok"'))).toBe(true); // and only them
  });

  it('writes its full path into the page when registered inside a prefixed plugin', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(signalsPlugin);
    await app.register(async (admin) => admin.register(signalsPanel), { prefix: '/admin' });
    const page = await app.inject('/admin/_signals');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-base="/admin/_signals"');
    expect(page.body).toContain('<script src="/admin/_signals/panel.js"></script>');
  });

  it('asks for signalsPlugin when it is missing', async () => {
    const app = Fastify();
    apps.push(app);
    await expect(app.register(signalsPanel)).rejects.toThrow(
      /signalsPanel: the app has no app\.signals\. Register signalsPlugin before signalsPanel/,
    );
  });
});
