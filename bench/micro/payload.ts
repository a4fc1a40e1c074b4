/**
 * The payload every micro benchmark sends and the work every listener does, the same for every
 * library so that only the dispatch differs.
 */

/**
 * A request-shaped object, like the `request` of Fastify's signals.
 *
 * @example
 * const { request }: { request: BenchRequest } = makePayload();
 */
export interface BenchRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A reply-shaped object, like the `reply` of Fastify's signals.
 *
 * @example
 * const { reply }: { reply: BenchReply } = makePayload(); // reply.statusCode === 200
 */
export interface BenchReply {
  statusCode: number;
  sent: boolean;
}

/**
 * The args of a request signal: `{ request, reply }`.
 *
 * @example
 * const signal = new Signal<RequestPayload, object>('bench');
 */
export interface RequestPayload {
  request: BenchRequest;
  reply: BenchReply;
}

/**
 * A fresh `{ request, reply }` payload. Each benchmark builds one and sends it on every
 * operation: the caller's allocation of its args is not what is measured, the dispatch is.
 *
 * @example
 * const payload = makePayload();
 * emitter.emit('requestStarted', payload);
 */
export function makePayload(): RequestPayload {
  return {
    request: {
      id: 'req-1',
      method: 'GET',
      url: '/users/42',
      headers: { host: '127.0.0.1:3000', accept: 'application/json', 'user-agent': 'bench' },
    },
    reply: { statusCode: 200, sent: false },
  };
}

/**
 * What listeners did: `calls` proves every listener ran, `checksum` keeps their work observable.
 *
 * @example
 * const before = listenerWork.calls;
 * signal.send(app, payload);
 * listenerWork.calls - before; // the number of connected receivers
 */
export const listenerWork = { calls: 0, checksum: 0 };

/**
 * A new listener that reads the payload and counts its call: the identical, tiny piece of work
 * every library's listeners do. Each call returns a distinct function, because signals dedupe a
 * receiver connected twice.
 *
 * @example
 * const subject = new Subject<RequestPayload>();
 * subject.subscribe(makeListener());
 */
export function makeListener(): (payload: { readonly reply: BenchReply }) => void {
  return (payload) => {
    listenerWork.calls++;
    listenerWork.checksum += payload.reply.statusCode;
  };
}
