import type { FastifyInstance } from 'fastify';
import { signalsPlugin } from '../../lib';
import { testClient } from '../../lib/testing';
import { quietApp } from './support/apps';

describe('testClient: bad input gets a TypeError that says what to pass', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = quietApp();
    await app.register(signalsPlugin);
    app.get('/', async () => 'ok');
  });
  afterAll(() => app.close());

  it('refuses an app without signalsPlugin, or no app at all', async () => {
    const bare = quietApp();
    expect(() => testClient(bare)).toThrow(TypeError);
    expect(() => testClient(bare)).toThrow(
      /signalsPlugin is not registered on this app.*await app\.register\(signalsPlugin\)/,
    );
    await bare.close();
    expect(() => testClient({} as never)).toThrow(/app must be a Fastify app, got an object/);
    expect(() => testClient(undefined as never)).toThrow(/app must be a Fastify app, got undefined/);
  });

  it('refuses bad client options', () => {
    const cases: [unknown, RegExp][] = [
      ['mute', /options must be an object, got the string "mute"/],
      [{ mutes: [] }, /unknown option "mutes"\. Allowed options: mute, headers, authenticate/],
      [{ mute: () => {} }, /options\.mute must be an array of receivers, got a function/],
      [
        { mute: [() => {}, 42] },
        /options\.mute\[1\] must be a receiver function or the dispatchUid \(a string or symbol\) it was connected with, got the number 42/,
      ],
      [
        { authenticate: 'token' },
        /options\.authenticate must be a function, got the string "token"\. Pass a function from a user to request headers/,
      ],
      [{ headers: 'x-a: 1' }, /options\.headers must be an object of header names and values/],
      [{ headers: null }, /options\.headers must be an object of header names and values, got null/],
    ];
    for (const [options, message] of cases) {
      expect(() => testClient(app, options as never)).toThrow(TypeError);
      expect(() => testClient(app, options as never)).toThrow(message);
    }
    // A receiver connected nowhere (yet) is fine, and so are dispatch uids.
    expect(() => testClient(app, { mute: [function notConnected() {}, 'db.cleanup', Symbol('uid')] })).not.toThrow();
  });

  it('rejects (never throws synchronously) bad request arguments', async () => {
    const client = testClient(app);
    const withUser = testClient(app, { authenticate: () => 'not headers' as never });
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () => client.get(5 as never),
        /client\.get\(url, options\): url must be a string, got the number 5\. E\.g\. '\/users\?page=2'/,
      ],
      [() => client.get('/', 'x' as never), /client\.get\(url, options\): options must be an object of inject options/],
      [
        () => client.post('/', { method: 'GET' } as never),
        /options\.method is given by the call itself; use client\.request\(options\)/,
      ],
      [() => client.request({ method: 'GET' }), /client\.request\(options\): options\.url is required/],
      [() => client.request(null as never), /client\.request\(options\): options must be an object/],
      [
        () => client.get('/', { follow: 0 }),
        /options\.follow must be true \(at most 10 redirects\), false, or the maximum number of redirects as a positive integer, got the number 0/,
      ],
      [() => client.get('/', { follow: 1.5 }), /options\.follow must be .* got the number 1\.5/],
      [() => client.get('/', { follow: 'yes' as never }), /options\.follow must be .* got the string "yes"/],
      [
        () => client.get('/', { user: 'ada' }),
        /options\.user needs testClient\(app, \{ authenticate \}\) to turn a user into headers/,
      ],
      [
        () => withUser.get('/', { user: 'ada' }),
        /options\.authenticate\(user\) returned headers that must be an object of header names and values, got the string "not headers"/,
      ],
      [() => client.get('/', { headers: 7 as never }), /options\.headers must be an object/],
      [() => client.request({ url: '/', payloadAsStream: true } as never), /options\.payloadAsStream is not supported/],
    ];
    for (const [call, message] of cases) {
      let returned: Promise<unknown> | undefined;
      expect(() => (returned = call())).not.toThrow();
      await expect(returned).rejects.toThrow(TypeError);
      await expect(call()).rejects.toThrow(message);
    }
  });

  it('rejects with Fastify’s error once the app is closed', async () => {
    const closing = quietApp();
    await closing.register(signalsPlugin);
    closing.get('/', async () => 'ok');
    const client = testClient(closing);
    expect((await client.get('/')).body).toBe('ok');
    await closing.close();
    await expect(client.get('/')).rejects.toThrow(/already been closed/);
  });
});
