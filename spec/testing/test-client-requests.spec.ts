import type { FastifyInstance } from 'fastify';
import { signalsPlugin } from '../../lib';
import { testClient } from '../../lib/testing';
import { VIEWS, fastifyView, quietApp } from './support/apps';

/** Echoes what the request carried: method, url, the headers named in `?show=`, body, cookies. */
async function echoApp(): Promise<FastifyInstance> {
  const app = quietApp();
  await app.register(signalsPlugin);
  await app.register(fastifyView, VIEWS);
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.all('/echo', async (request) => ({
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(
      String((request.query as { show?: string }).show ?? '')
        .split(',')
        .filter(Boolean)
        .map((name) => [name, request.headers[name]]),
    ),
    body: request.body ?? null,
    cookie: request.headers.cookie ?? null,
  }));
  return app;
}

describe('testClient requests', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await echoApp();
  });
  afterEach(() => app.close());

  it('has a method per verb and request(options) for the rest, with light-my-request options', async () => {
    const client = testClient(app);
    const verbs = ['get', 'post', 'put', 'patch', 'delete', 'options'] as const;
    for (const verb of verbs) {
      expect((await client[verb]('/echo')).json()).toMatchObject({ method: verb.toUpperCase(), url: '/echo' });
    }
    const head = await client.head('/echo');
    expect([head.statusCode, head.raw.req.method, head.marbles]).toEqual([200, 'HEAD', 'sf']);
    const posted = await client.post('/echo', { payload: { name: 'pen' }, query: { page: '2' } });
    expect(posted.json()).toMatchObject({ method: 'POST', url: '/echo?page=2', body: { name: 'pen' } });
    expect(
      (
        await client.request({ method: 'PUT', url: '/echo', body: 'raw', headers: { 'content-type': 'text/plain' } })
      ).json(),
    ).toMatchObject({
      method: 'PUT',
      body: 'raw',
    });
    expect((await client.request('/echo?x=1')).json()).toMatchObject({ method: 'GET', url: '/echo?x=1' });
    expect((await client.get('/echo', { cookies: { session: 's1' } })).json()).toMatchObject({ cookie: 'session=s1' });
  });

  it('sends default headers, then authenticate(user)’s, then the request’s own: explicit headers win, whatever their case', async () => {
    const users = { ada: 'token-ada' } as const;
    const client = testClient(app, {
      headers: { 'X-Tenant': 'acme', authorization: 'anonymous' },
      authenticate: async (user: keyof typeof users) => ({ Authorization: `Bearer ${users[user]}`, 'x-role': 'staff' }),
    });
    const show = '/echo?show=x-tenant,authorization,x-role';
    expect((await client.get(show)).json().headers).toEqual({ 'x-tenant': 'acme', authorization: 'anonymous' });
    expect((await client.get(show, { user: 'ada' })).json().headers).toEqual({
      'x-tenant': 'acme',
      authorization: 'Bearer token-ada',
      'x-role': 'staff',
    });
    expect(
      (await client.get(show, { user: 'ada', headers: { 'X-ROLE': 'admin', 'x-tenant': 'other' } })).json().headers,
    ).toEqual({
      'x-tenant': 'other',
      authorization: 'Bearer token-ada',
      'x-role': 'admin',
    });
  });

  describe('follow', () => {
    beforeEach(() => {
      app.all<{ Querystring: { status: string; to: string } }>('/redirect', async (request, reply) =>
        reply.code(Number(request.query.status)).header('location', request.query.to).send(),
      );
      app.post('/login', async (_request, reply) =>
        reply.header('set-cookie', ['session=abc; Path=/', 'stale=; Max-Age=0']).redirect('/echo?show=cookie', 302),
      );
      app.get('/page', async (_request, reply) => reply.view('profile.hbs', { user: { name: 'final' } }));
      app.get('/first', async (_request, reply) => {
        await reply.viewAsync('profile.hbs', { user: { name: 'first' } }); // rendered, not sent
        return reply.redirect('/page');
      });
      app.get('/loop/a', async (_request, reply) => reply.redirect('/loop/b'));
      app.get('/loop/b', async (_request, reply) => reply.redirect('/loop/a'));
      app.get<{ Params: { n: string } }>('/chain/:n', async (request, reply) => {
        const n = Number(request.params.n);
        return n === 0 ? 'end' : reply.redirect(`/chain/${n - 1}`);
      });
    });
    const to = (status: number) => `/redirect?status=${status}&to=${encodeURIComponent('/echo?show=content-type')}`;

    it.each([
      [303, 'POST', 'GET', null],
      [302, 'POST', 'GET', null],
      [301, 'POST', 'GET', null],
      [303, 'PUT', 'GET', null],
      [307, 'POST', 'POST', 'kept'],
      [308, 'PUT', 'PUT', 'kept'],
      [302, 'PUT', 'PUT', 'kept'],
    ])('a %i answering a %s continues as %s (body: %s)', async (status, method, followedAs, body) => {
      const response = await testClient(app).request({
        method: method as 'POST',
        url: to(status),
        body: 'kept',
        headers: { 'content-type': 'text/plain' },
        follow: true,
      });
      expect(response.json()).toEqual({
        method: followedAs,
        url: '/echo?show=content-type',
        headers: { 'content-type': body === null ? undefined : 'text/plain' },
        body,
        cookie: null,
      });
      expect(response.redirects.map((each) => [each.statusCode, each.raw.req.method])).toEqual([[status, method]]);
    });

    it('the response describes the final request; redirects keep each hop’s own fields', async () => {
      const response = await testClient(app).get('/first', { follow: true });
      expect(response.templates).toEqual(['profile.hbs']);
      expect(response.context).toEqual({ user: { name: 'final' } });
      expect(response.raw.req.url).toBe('/page');
      const [hop] = response.redirects;
      expect([hop.statusCode, hop.raw.req.url, hop.context, hop.marbles]).toEqual([
        302,
        '/first',
        { user: { name: 'first' } },
        'stf',
      ]);
      expect(hop.redirects).toEqual([]);
    });

    it('without follow the redirect itself is the response', async () => {
      const response = await testClient(app).get('/chain/1');
      expect([response.statusCode, response.headers.location, response.redirects]).toEqual([302, '/chain/0', []]);
    });

    it('sends the cookies a redirect set on the next hop (and drops expired ones)', async () => {
      const response = await testClient(app).post('/login', { cookies: { stale: 'old', keep: 'me' }, follow: true });
      expect(response.json()).toMatchObject({ method: 'GET', cookie: 'keep=me; session=abc' });
    });

    it('follows at most 10 hops with true, or the number given; more, or a loop, reject naming the chain', async () => {
      const client = testClient(app);
      expect((await client.get('/chain/10', { follow: true })).redirects).toHaveLength(10);
      await expect(client.get('/chain/11', { follow: true })).rejects.toThrow(
        'client.get(url, options): more than 10 redirects: GET /chain/11 → 302 → GET /chain/10 → 302 → GET /chain/9 → 302 → GET /chain/8 → 302 → ' +
          'GET /chain/7 → 302 → GET /chain/6 → 302 → GET /chain/5 → 302 → GET /chain/4 → 302 → GET /chain/3 → 302 → GET /chain/2 → 302 → ' +
          'GET /chain/1 → 302 → GET /chain/0.',
      );
      expect((await client.get('/chain/2', { follow: 2 })).body).toBe('end');
      await expect(client.get('/chain/2', { follow: 1 })).rejects.toThrow(
        'client.get(url, options): more than 1 redirect: GET /chain/2 → 302 → GET /chain/1 → 302 → GET /chain/0.',
      );
      await expect(client.get('/loop/a', { follow: true })).rejects.toThrow(
        'client.get(url, options): a redirect loop: GET /loop/a → 302 → GET /loop/b → 302 → GET /loop/a.',
      );
    });

    it('resolves a relative Location against the URL requested, and keeps the user on every hop', async () => {
      const client = testClient(app, { authenticate: (user: string) => ({ 'x-user': user }) });
      const response = await client.get(`/redirect?status=302&to=${encodeURIComponent('echo?show=x-user')}`, {
        user: 'ada',
        follow: true,
      });
      expect(response.json()).toMatchObject({ url: '/echo?show=x-user', headers: { 'x-user': 'ada' } });
    });
  });
});
