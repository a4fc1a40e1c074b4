import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * Starts `app` on a free port of 127.0.0.1 (real sockets: aborts and timeouts are real) and
 * returns the port.
 *
 * @example
 * const port = await listen(app);
 * const { status } = await get(port, '/');
 */
export async function listen(app: {
  listen(options: { port: number; host: string }): Promise<unknown>;
  readonly server: { address(): AddressInfo | string | null };
}): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

/**
 * A response as `get` received it.
 *
 * @example
 * const { status, body, headers } = await get(port, '/ok');
 */
export interface Received {
  readonly status: number;
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}

/**
 * A GET over a fresh connection that closes after the response (no keep-alive, so `app.close()`
 * never waits on an idle socket of ours).
 *
 * @example
 * expect((await get(port, '/ok')).status).toBe(200);
 */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close', ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: response.headers,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * Opens a raw TCP connection and writes one HTTP/1.1 GET, so that the test can abort it at the
 * moment of its choosing (`socket.destroy()`) or leave it idle until a server timeout.
 *
 * @example
 * const socket = await sendRawGet(port, '/slow');
 * socket.destroy(); // the client goes away mid-handler
 */
export async function sendRawGet(port: number, path: string): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {
    // A reset from the server side (timeout) is expected in these tests.
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  return socket;
}

/**
 * The client goes away at a moment of the test's choosing: opens a raw GET of `path`, waits for
 * `moment` (e.g. "the handler was entered"), then destroys the socket.
 *
 * @example
 * await hangUpAt(port, '/slow', handlerEntered.promise);
 * await log.finished('/slow'); // 'aborted'
 */
export async function hangUpAt(port: number, path: string, moment: Promise<unknown>): Promise<void> {
  const socket = await sendRawGet(port, path);
  await moment;
  socket.destroy();
}

/**
 * Resolves when the socket is closed (by either side).
 *
 * @example
 * await closed(socket); // e.g. the server destroyed it after connectionTimeout
 */
export function closed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/**
 * Opens a raw connection and writes several HTTP/1.1 GETs on it at once (pipelining), without
 * `Connection: close`, so that the server reads them all.
 *
 * @example
 * const socket = await pipeline(port, ['/slow', '/ok']); // /ok's response waits behind /slow's
 * socket.destroy();
 */
export async function pipeline(port: number, paths: readonly string[]): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {
    // A reset is what these tests provoke.
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`).join(''));
  return socket;
}
