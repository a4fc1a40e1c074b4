import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  type RequestOutcome,
  type GotRequestExceptionEvent,
  type RequestFinishedEvent,
  type RequestStartedEvent,
} from '../../lib/fastify/signals';

/**
 * A request that really went through Fastify, with the objects its signals would carry.
 *
 * @example
 * const { app, request, reply }: RealRequest = real.ok;
 */
export interface RealRequest {
  readonly app: FastifyInstance;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * Real requests of every kind the operators tell apart, from one real Fastify app.
 *
 * @example
 * const real: RealRequests = await realRequests();
 * finishedEvent(real.boom, 'errored', 7);
 */
export interface RealRequests {
  /** GET /ok → 200. */
  readonly ok: RealRequest;
  /** A second, distinct GET /ok → 200. */
  readonly ok2: RealRequest;
  /** GET /items/:id?secret=… → 200 (its URL holds an id and a query string). */
  readonly item: RealRequest;
  /** POST /boom → the handler throws: 500. */
  readonly boom: RealRequest;
  /** GET /nowhere → no route: 404. */
  readonly missing: RealRequest;
  /** GET /hang, the client went away before any response: no status sent. */
  readonly aborted: RealRequest;
  close(): Promise<void>;
}

/**
 * Sends real requests to a real Fastify app (no signals plugin involved) and keeps each one's
 * `request` and `reply`, so operator tests feed real objects into virtual time.
 *
 * @example
 * const real = await realRequests();
 * hot('a', { a: startedEvent(real.ok) });
 * await real.close();
 */
export async function realRequests(): Promise<RealRequests> {
  const app = Fastify();
  const seen = new Map<string, RealRequest>();
  let hung: ((value: RealRequest) => void) | undefined;
  const hungSeen = new Promise<RealRequest>((resolve) => (hung = resolve));
  app.addHook('onRequest', async (request, reply) => {
    const tag = request.headers['x-tag'];
    if (tag === 'aborted') hung!({ app, request, reply });
  });
  app.addHook('onResponse', async (request, reply) => {
    const tag = request.headers['x-tag'];
    if (typeof tag === 'string') seen.set(tag, { app, request, reply });
  });
  app.get('/ok', async () => 'ok');
  app.get('/items/:id', async () => ({ item: true }));
  app.post('/boom', async () => {
    throw new Error('boom');
  });
  // Never answers: the client gives up first.
  app.get('/hang', () => new Promise<never>(() => {}));

  const inject = (tag: string, method: 'GET' | 'POST', url: string) =>
    app.inject({ method, url, headers: { 'x-tag': tag } });
  await inject('ok', 'GET', '/ok');
  await inject('ok2', 'GET', '/ok');
  await inject('item', 'GET', '/items/42?secret=hunter2');
  await inject('boom', 'POST', '/boom');
  await inject('missing', 'GET', '/nowhere');

  // The aborted request needs a real socket: open it, wait until Fastify has it, then hang up.
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const client = httpRequest({ host: '127.0.0.1', port, path: '/hang', headers: { 'x-tag': 'aborted' } });
  client.on('error', () => {}); // the hang-up we cause
  client.end();
  const aborted = await hungSeen;
  const closed = new Promise<void>((resolve) => aborted.reply.raw.once('close', () => resolve()));
  client.destroy();
  await closed;

  const get = (tag: string) => {
    const real = seen.get(tag);
    if (!real) throw new Error(`fixture request ${tag} was not captured`);
    return real;
  };
  return {
    ok: get('ok'),
    ok2: get('ok2'),
    item: get('item'),
    boom: get('boom'),
    missing: get('missing'),
    aborted,
    close: () => app.close(),
  };
}

/**
 * The real requests of the calling spec file: sent once before its tests (`beforeAll`), their app
 * closed after them (`afterAll`). The object is filled in by `beforeAll`: read it inside tests.
 *
 * @example
 * const real = realRequestsOfThisFile();
 * it('sees the request', () => expect(startedEvent(real.ok).request.url).toBe('/ok'));
 */
export function realRequestsOfThisFile(): RealRequests {
  const real = {} as RealRequests;
  beforeAll(async () => {
    Object.assign(real, await realRequests());
  });
  afterAll(() => real.close());
  return real;
}

/**
 * The `requestStarted` event the plugin would send for `real`.
 *
 * @example
 * hot<RequestLifecycleEvent>('a', { a: startedEvent(real.ok) });
 */
export function startedEvent(real: RealRequest): RequestStartedEvent {
  return { signal: requestStarted, sender: real.app, request: real.request, reply: real.reply };
}

/**
 * The `gotRequestException` event the plugin would send for `real`.
 *
 * @example
 * hot<RequestLifecycleEvent>('x', { x: exceptionEvent(real.boom, new Error('boom')) });
 */
export function exceptionEvent(real: RealRequest, error = new Error('boom')): GotRequestExceptionEvent {
  return { signal: gotRequestException, sender: real.app, request: real.request, reply: real.reply, error };
}

/**
 * The `requestFinished` event the plugin would send for `real`.
 *
 * @example
 * hot<RequestLifecycleEvent>('f', { f: finishedEvent(real.ok, 'completed', 2.5) });
 */
export function finishedEvent(real: RealRequest, outcome: RequestOutcome, elapsedMs: number): RequestFinishedEvent {
  return { signal: requestFinished, sender: real.app, request: real.request, reply: real.reply, outcome, elapsedMs };
}
