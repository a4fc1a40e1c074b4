import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TestHeaders } from './options';
import type { ReceiverSelector } from '../internal/receiver-selectors';
import type { TestResponseFields } from './response-fields';

/**
 * Options of {@link testClient}.
 *
 * @example
 * const client = testClient(app, {
 *   mute: [db.closeStaleConnections],
 *   headers: { 'x-tenant': 'acme' },
 *   authenticate: (user: { name: string }) => ({ authorization: `Bearer ${user.name}` }),
 * });
 */
export interface TestClientOptions<User = unknown> {
  /**
   * Receivers (functions, or the dispatchUids they were connected with) muted on the request
   * signals for each request of this client, from before its `requestStarted` until its
   * `requestFinished` was sent, and only for its own events: other requests still reach them.
   * A receiver connected nowhere is fine (it may be connected later).
   */
  mute?: readonly ReceiverSelector[];
  /** Headers of every request (request headers of the same name win). */
  headers?: TestHeaders;
  /** What a request's `user` option becomes: headers that log that user in (django-webtest's `user=`). */
  authenticate?: (user: User) => TestHeaders | PromiseLike<TestHeaders>;
}

/**
 * Options of one request of a {@link TestClient} method: light-my-request's (`headers`, `query`,
 * `payload`, `body`, `cookies`, ...) plus `user` and `follow`.
 *
 * @example
 * await client.post('/items', { payload: { name: 'pen' }, user: ada, follow: true });
 */
export interface TestRequestOptions<User = unknown> extends Omit<
  InjectOptions,
  'method' | 'url' | 'path' | 'payloadAsStream'
> {
  /** Sent as the headers `options.authenticate(user)` returns. */
  user?: User;
  /**
   * Follow redirects (301, 302, 303, 307, 308): `true` for at most 10, or the maximum number.
   * 303, and 301/302 after a POST, become a GET without body; the others keep method and body.
   * Cookies set by a redirect are sent on the next hop.
   */
  follow?: boolean | number;
}

/**
 * Options of {@link TestClient.request}: `app.inject()`'s, plus `user` and `follow`.
 *
 * @example
 * await client.request({ method: 'PUT', url: '/items/7', payload: { name: 'pen' }, follow: 3 });
 */
export interface TestInjectOptions<User = unknown> extends Omit<InjectOptions, 'payloadAsStream'> {
  user?: User;
  follow?: boolean | number;
}

/**
 * What a {@link TestClient} request resolves with: light-my-request's response plus what the
 * signals said about that request (and only that one).
 *
 * @example
 * const response: TestResponse = await client.get('/profile');
 * response.templates; // ['profile.hbs']
 * response.marbles;   // 'stf'
 */
export type TestResponse = LightMyRequestResponse & TestResponseFields<TestResponse>;

/**
 * A test client for one Fastify app (see {@link testClient}).
 *
 * @example
 * const client = testClient(app);
 * const response = await client.get('/users');
 */
export interface TestClient<User = unknown> {
  /** The app the requests go to. */
  readonly app: FastifyInstance;
  /** Any request: `app.inject()`'s options (or a URL for a GET), plus `user` and `follow`. */
  request(options: string | TestInjectOptions<User>): Promise<TestResponse>;
  /** A GET of `url` (`options.query` adds to its query string). */
  get(url: string, options?: TestRequestOptions<User>): Promise<TestResponse>;
  /** A POST of `url`, its body in `options.payload` (an object is sent as JSON). */
  post(url: string, options?: TestRequestOptions<User>): Promise<TestResponse>;
  /** A PUT of `url`, its body in `options.payload`. */
  put(url: string, options?: TestRequestOptions<User>): Promise<TestResponse>;
  /** A PATCH of `url`, its body in `options.payload`. */
  patch(url: string, options?: TestRequestOptions<User>): Promise<TestResponse>;
  /** A DELETE of `url`. */
  delete(url: string, options?: TestRequestOptions<User>): Promise<TestResponse>;
  /** A HEAD of `url`. */
  head(url: string, options?: TestRequestOptions<User>): Promise<TestResponse>;
  /** An OPTIONS request for `url`. */
  options(url: string, options?: TestRequestOptions<User>): Promise<TestResponse>;
}
