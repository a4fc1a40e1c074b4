import type { InjectOptions, LightMyRequestResponse } from 'fastify';

/** Statuses whose `Location` is followed; 300, 304 and 305 are not redirects to follow. */
const FOLLOWED = new Set([301, 302, 303, 307, 308]);

/**
 * One request of a redirect chain, for following and for naming the chain in errors.
 * @internal
 */
export interface Hop {
  readonly method: string;
  /** Absolute URL (`http://localhost:80/path?query`). */
  readonly url: string;
}

/**
 * Where a redirect response sends the client next, as a browser (and django-webtest) would go:
 * 303 becomes GET (HEAD stays HEAD), and so do 301/302 answering a POST; otherwise (307, 308, and
 * 301/302 after other methods) method and body are kept. The `Location` is resolved against the
 * URL that was requested. Undefined when the response is no redirect to follow.
 *
 * @example
 * nextHop(response, { method: 'POST', url: 'http://localhost:80/items' });
 * // { method: 'GET', url: 'http://localhost:80/items/7', keepsBody: false } for a 302 to /items/7
 * @internal
 */
export function nextHop(
  response: LightMyRequestResponse,
  from: Hop,
): (Hop & { readonly keepsBody: boolean }) | undefined {
  if (!FOLLOWED.has(response.statusCode)) return undefined;
  const location = response.headers.location;
  if (typeof location !== 'string' || location === '') return undefined;
  const url = new URL(location, from.url).href;
  const becomesGet =
    (response.statusCode === 303 && from.method !== 'HEAD') ||
    ((response.statusCode === 301 || response.statusCode === 302) && from.method === 'POST');
  return becomesGet ? { method: 'GET', url, keepsBody: false } : { method: from.method, url, keepsBody: true };
}

/**
 * The absolute URL a light-my-request response answered: the request's path and query (with
 * `options.query` merged in) on its `host` header.
 *
 * @example
 * requestedUrl(response); // 'http://localhost:80/items?page=2'
 * @internal
 */
export function requestedUrl(response: LightMyRequestResponse): string {
  const request = response.raw.req;
  const host = typeof request.headers.host === 'string' ? request.headers.host : 'localhost:80';
  return new URL(request.url ?? '/', `http://${host}`).href;
}

/**
 * A redirect chain for an error message: `GET /a → 302 → GET /b → 301 → GET /a` (the origin
 * left out while it is the default one).
 *
 * @example
 * describeChain([{ method: 'GET', url: 'http://localhost:80/a' }], [302]);
 * @internal
 */
export function describeChain(hops: readonly Hop[], statuses: readonly number[]): string {
  return hops
    .map((hop, index) => {
      const step = `${hop.method} ${shortUrl(hop.url)}`;
      return index < statuses.length ? `${step} → ${statuses[index]}` : step;
    })
    .join(' → ');
}

function shortUrl(href: string): string {
  const url = new URL(href);
  return url.origin === 'http://localhost' || url.origin === 'http://localhost:80'
    ? `${url.pathname}${url.search}`
    : href;
}

/**
 * Turns the options of one hop into those of the next: new URL, maybe a GET without body, the
 * cookies the response set (or expired).
 * @internal
 */
export function followTo(
  inject: InjectOptions,
  next: Hop & { keepsBody: boolean },
  response: LightMyRequestResponse,
): void {
  inject.method = next.method as InjectOptions['method'];
  inject.url = next.url;
  delete inject.path;
  delete inject.query; // the Location carries its own query
  if (!next.keepsBody) {
    delete inject.payload;
    delete inject.body;
    const headers = { ...inject.headers } as Record<string, unknown>;
    for (const name of ['content-type', 'content-length', 'transfer-encoding']) delete headers[name];
    inject.headers = headers as InjectOptions['headers'];
  }
  const cookies = { ...inject.cookies };
  for (const cookie of response.cookies) {
    const expired =
      (cookie.maxAge !== undefined && cookie.maxAge <= 0) ||
      (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now());
    if (expired) delete cookies[cookie.name];
    else cookies[cookie.name] = cookie.value;
  }
  if (Object.keys(cookies).length > 0) inject.cookies = cookies;
}
