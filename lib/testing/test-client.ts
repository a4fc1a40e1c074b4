import type { FastifyInstance, InjectOptions } from 'fastify';
import { describeValue, requireString } from '../core/checks';
import { AppSignals } from '../fastify/app-signals';
import { ClientRequest, clientRequests } from './client/client-request';
import { HeldWhileBusy } from './client/held-while-busy';
import { muteRequestSignals } from './client/mute-request-signals';
import {
  checkRequest,
  clientSettings,
  lowerCaseHeaders,
  requireRequestOptions,
  type ClientSettings,
  type TestHeaders,
} from './client/options';
import { describeChain, followTo, nextHop, requestedUrl, type Hop } from './client/redirects';
import { responseFields } from './client/response-fields';
import type {
  TestClient,
  TestClientOptions,
  TestInjectOptions,
  TestRequestOptions,
  TestResponse,
} from './client/types';

/**
 * django-webtest's `DjangoTestApp` for a Fastify app with `signalsPlugin`, over `app.inject()`.
 * Each request resolves, after its `requestFinished` was sent (a streamed response included),
 * with the response plus its `templates`, `context` (the first render's, copied at render time),
 * `contexts`, `events`, `exceptions`, `outcome`, `elapsedMs`, `marbles` and `redirects`. Events
 * are tied to their request, never to a time window: concurrent requests never see each other's.
 *
 * `mute` is django-webtest's "disconnect `close_old_connections` around the request" without
 * disconnecting anything: those receivers skip this request's events only, and keep their place.
 *
 * @example
 * const client = testClient(app, { mute: [db.closeStaleConnections] });
 * const response = await client.get('/users');
 * expect(response.templates).toEqual(['users.hbs']);
 * expect(response.context?.users).toEqual([{ name: 'ada' }]);
 * expect(response.marbles).toBe('stf');
 */
export function testClient<User = unknown>(app: FastifyInstance, options?: TestClientOptions<User>): TestClient<User> {
  if (typeof (app as Partial<FastifyInstance> | null)?.inject !== 'function') {
    throw new TypeError(
      `testClient(app): app must be a Fastify app, got ${describeValue(app)}. E.g. testClient(Fastify()) after registering signalsPlugin.`,
    );
  }
  if (!(app.signals instanceof AppSignals)) {
    throw new TypeError(
      'testClient(app): signalsPlugin is not registered on this app, so its requests send no signals to follow. ' +
        'Register it first: await app.register(signalsPlugin).',
    );
  }
  return new Client(app, clientSettings<User>(options));
}

type Verb = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';

class Client<User> implements TestClient<User> {
  /** True once `app.ready()` resolved; its Promise while it is pending. */
  private ready: true | Promise<void> | undefined;
  /**
   * `settings.mute`, muted for the events of this client's requests while any is in flight (and
   * one turn after, so that sequential requests share one mute); null when nothing is muted.
   */
  private readonly muting: HeldWhileBusy | null;

  constructor(
    readonly app: FastifyInstance,
    private readonly settings: ClientSettings<User>,
  ) {
    this.muting =
      settings.mute.length === 0
        ? null
        : new HeldWhileBusy(() =>
            muteRequestSignals(settings.mute, (event) => clientRequests.ownerOf(event)?.sentBy === this),
          );
  }

  readonly get = this.verb('get');
  readonly post = this.verb('post');
  readonly put = this.verb('put');
  readonly patch = this.verb('patch');
  readonly delete = this.verb('delete');
  readonly head = this.verb('head');
  readonly options = this.verb('options');

  request(options: string | TestInjectOptions<User>): Promise<TestResponse> {
    return this.send('client.request(options)', typeof options === 'string' ? { url: options } : options);
  }

  /** The method of one HTTP verb: `client.get(url, options?)` and its siblings. */
  private verb(method: Verb): (url: string, options?: TestRequestOptions<User>) => Promise<TestResponse> {
    const where = `client.${method}(url, options)`;
    const upper = method.toUpperCase() as InjectOptions['method'];
    return (url, options) => {
      try {
        requireString(where, 'url', url, "E.g. '/users?page=2'.");
        requireRequestOptions(where, options ?? {});
        for (const key of ['method', 'url', 'path'] as const) {
          if (Object.hasOwn(options ?? {}, key)) {
            throw new TypeError(
              `${where}: options.${key} is given by the call itself; use client.request(options) to set it.`,
            );
          }
        }
      } catch (error) {
        return Promise.reject(error);
      }
      return this.send(where, { ...options, method: upper, url });
    };
  }

  /**
   * Checks the options (a bad one rejects, never throws), then sends, following redirects when
   * asked. Without a user and once the app is ready, nothing is awaited before `inject()`.
   */
  private send(where: string, options: unknown): Promise<TestResponse> {
    let inject: InjectOptions;
    let user: unknown;
    let hops: number;
    try {
      ({ inject, user, hops } = checkRequest(where, options));
    } catch (error) {
      return Promise.reject(error);
    }
    const explicit = inject.headers;
    inject.headers = { ...this.settings.headers, ...explicit };
    const go = (): Promise<TestResponse> => (hops === 0 ? this.sendOne(inject) : this.follow(where, inject, hops));
    if (user === undefined && this.ready === true) return go();
    return this.prepare(where, inject, user, explicit).then(go);
  }

  /** What a first request or a `user` needs first: the app ready, the user's headers. */
  private async prepare(
    where: string,
    inject: InjectOptions,
    user: unknown,
    explicit: TestHeaders | undefined,
  ): Promise<void> {
    if (user !== undefined) {
      inject.headers = { ...this.settings.headers, ...(await this.userHeaders(where, user)), ...explicit };
    }
    if (this.ready !== true) {
      // Once ready, inject() dispatches at once, inside the client's async context.
      await (this.ready ??= Promise.resolve(this.app.ready()).then(() => undefined));
      this.ready = true;
    }
  }

  /** Sends, then follows each redirect to its `Location`, at most `hops` times. */
  private async follow(where: string, inject: InjectOptions, hops: number): Promise<TestResponse> {
    const redirects: TestResponse[] = [];
    const chain: Hop[] = [];
    for (;;) {
      const response = await this.sendOne(inject);
      const hop: Hop = { method: response.raw.req.method ?? 'GET', url: requestedUrl(response) };
      chain.push(hop);
      const next = nextHop(response, hop);
      if (next === undefined) return Object.assign(response, { redirects });
      const statuses = [...redirects, response].map((each) => each.statusCode);
      const seen = chain.some((earlier) => earlier.method === next.method && earlier.url === next.url);
      if (seen || redirects.length >= hops) {
        const why = seen ? 'a redirect loop' : `more than ${hops} redirect${hops === 1 ? '' : 's'}`;
        throw new Error(`${where}: ${why}: ${describeChain([...chain, next], statuses)}.`);
      }
      redirects.push(response);
      followTo(inject, next, response);
    }
  }

  /**
   * Sends one request and gathers its signals, muting `settings.mute` for its events only. Once
   * its request started, it settles after its `requestFinished` whatever happened (an aborted
   * response fails `inject()` first), so that the mute covers the finish.
   */
  private sendOne(inject: InjectOptions): Promise<TestResponse> {
    return new Promise<TestResponse>((resolve, reject) => {
      const record = new ClientRequest(this, (settled) => {
        this.muting?.release();
        clientRequests.release();
        const { response, error } = settled.injected!;
        const failure = response === undefined ? { error } : settled.failure;
        if (failure) reject(failure.error);
        else if (settled.request === undefined) reject(notSeen(inject));
        else resolve(Object.assign(response!, responseFields<TestResponse>(settled), { redirects: [] }));
      });
      this.muting?.acquire();
      clientRequests.run(record, () => {
        try {
          // The callback form dispatches synchronously, so the plugin's onRequest runs in this context.
          void this.app.inject(inject, (error, response) => record.answered(error, response));
        } catch (error) {
          record.answered(error, undefined); // light-my-request's option checks throw
        }
      });
    });
  }

  private async userHeaders(where: string, user: unknown): Promise<TestHeaders> {
    const { authenticate } = this.settings;
    if (authenticate === undefined) {
      throw new TypeError(
        `${where}: options.user needs testClient(app, { authenticate }) to turn a user into headers, ` +
          'e.g. testClient(app, { authenticate: (user) => ({ authorization: `Bearer ${user.token}` }) }).',
      );
    }
    return lowerCaseHeaders(
      `${where}: options.authenticate(user) returned headers that`,
      await authenticate(user as User),
    );
  }
}

function notSeen(inject: InjectOptions): Error {
  const url = typeof inject.url === 'string' ? inject.url : typeof inject.path === 'string' ? inject.path : 'the URL';
  return new Error(
    `testClient: signalsPlugin never saw the request ${inject.method ?? 'GET'} ${url} (no requestStarted): an onRequest ` +
      'hook registered before signalsPlugin answered it, or its route is outside the encapsulated context signalsPlugin ' +
      'was registered in. Register signalsPlugin first, at the root of the app.',
  );
}
