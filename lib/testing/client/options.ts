import type { InjectOptions } from 'fastify';
import { describeValue, isArray, rejectUnknownKeys, requireFunction, requireOptionsObject } from '../../core/checks';
import { requireReceiverSelectors, type ReceiverSelector } from '../internal/receiver-selectors';

/**
 * Request headers as `app.inject()` takes them.
 *
 * @example
 * const headers: TestHeaders = { authorization: 'Bearer t0ken', 'x-tenant': 'acme' };
 */
export type TestHeaders = NonNullable<InjectOptions['headers']>;

/** The most hops `follow: true` takes (django-webtest's `auto_follow` has no limit; Django's client stops at 20). */
export const DEFAULT_MAX_HOPS = 10;

/**
 * The options of `testClient` once checked: `mute` and `headers` copied (later changes of the
 * caller's arrays and objects do not leak in), headers keyed in lower case.
 * @internal
 */
export interface ClientSettings<User> {
  readonly mute: readonly ReceiverSelector[];
  readonly headers: TestHeaders;
  readonly authenticate: ((user: User) => TestHeaders | PromiseLike<TestHeaders>) | undefined;
}

const CLIENT_OPTIONS = ['mute', 'headers', 'authenticate'];

/**
 * Checks the options of `testClient(app, options)`, throwing a `TypeError` that says what to pass.
 *
 * @example
 * const settings = clientSettings({ mute: [db.closeStaleConnections], headers: { 'x-test': '1' } });
 * @internal
 */
export function clientSettings<User>(options: unknown): ClientSettings<User> {
  requireOptionsObject('testClient(app, options)', options);
  if (options === undefined) return { mute: [], headers: {}, authenticate: undefined };
  rejectUnknownKeys('testClient(app, options)', options, CLIENT_OPTIONS);
  const { mute = [], headers = {}, authenticate } = options as Record<string, unknown>;
  if (authenticate !== undefined) {
    requireFunction(
      'testClient(app, options)',
      'options.authenticate',
      authenticate,
      'Pass a function from a user to request headers, e.g. { authenticate: (user) => ({ authorization: `Bearer ${tokenFor(user)}` }) }.',
    );
  }
  return {
    mute: requireReceiverSelectors('testClient(app, options)', 'options.mute', mute),
    headers: lowerCaseHeaders('testClient(app, options): options.headers', headers),
    authenticate: authenticate as ClientSettings<User>['authenticate'],
  };
}

/**
 * The maximum number of redirects to follow: 0 for `false`/absent, {@link DEFAULT_MAX_HOPS} for
 * `true`, else the positive integer given.
 *
 * @example
 * maxHops('client.get(url, options)', 3); // 3
 * @internal
 */
export function maxHops(where: string, follow: unknown): number {
  if (follow === undefined || follow === false) return 0;
  if (follow === true) return DEFAULT_MAX_HOPS;
  if (typeof follow === 'number' && Number.isSafeInteger(follow) && follow > 0) return follow;
  throw new TypeError(
    `${where}: options.follow must be true (at most ${DEFAULT_MAX_HOPS} redirects), false, or the maximum ` +
      `number of redirects as a positive integer, got ${describeValue(follow)}.`,
  );
}

/**
 * Copies headers with lower-case names, so that merging default, authentication and explicit
 * headers replaces by name whatever case each was written in.
 *
 * @example
 * lowerCaseHeaders('options.headers', { Authorization: 'x' }); // { authorization: 'x' }
 * @internal
 */
export function lowerCaseHeaders(where: string, headers: unknown): TestHeaders {
  if (typeof headers !== 'object' || headers === null || isArray(headers)) {
    throw new TypeError(
      `${where} must be an object of header names and values, got ${describeValue(headers)}. E.g. { 'x-tenant': 'acme' }.`,
    );
  }
  const lower: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return lower as TestHeaders;
}

/**
 * The checked parts of one request's options (`user`, `follow` and the rest for `inject()`, its
 * headers in lower case); throws a `TypeError` saying what to pass.
 * @internal
 */
export function checkRequest(where: string, options: unknown): { inject: InjectOptions; user: unknown; hops: number } {
  requireRequestOptions(where, options);
  const { user, follow, ...inject } = options as InjectOptions & { user?: unknown; follow?: unknown };
  if (inject.url === undefined && inject.path === undefined) {
    throw new TypeError(`${where}: options.url is required, e.g. { method: 'GET', url: '/users' }.`);
  }
  if (Object.hasOwn(inject, 'payloadAsStream')) {
    throw new TypeError(
      `${where}: options.payloadAsStream is not supported: the client resolves once the request finished, ` +
        'with the whole body read. Use app.inject() to read a response as a stream.',
    );
  }
  const hops = maxHops(where, follow);
  if (inject.headers !== undefined) inject.headers = lowerCaseHeaders(`${where}: options.headers`, inject.headers);
  return { inject, user, hops };
}

/**
 * Throws a `TypeError` unless `options` is an object of inject options.
 * @internal
 */
export function requireRequestOptions(where: string, options: unknown): asserts options is object {
  if (typeof options !== 'object' || options === null || isArray(options)) {
    throw new TypeError(`${where}: options must be an object of inject options, got ${describeValue(options)}.`);
  }
}
