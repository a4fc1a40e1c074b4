import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';

/**
 * An HTTP/2 (h2c) client session to 127.0.0.1:`port`, for apps made with `Fastify({ http2: true })`.
 * Stream and session errors are expected in these tests (cancels, resets): they are kept, not thrown.
 *
 * @example
 * const client = h2Client(port);
 * expect((await client.get('/ok')).status).toBe(200);
 * client.close();
 */
export function h2Client(port: number): H2Client {
  return new H2Client(connect(`http://127.0.0.1:${port}`));
}

/**
 * A response as {@link H2Client.get} received it.
 *
 * @example
 * const { status, body } = await client.get('/ok');
 */
export interface H2Received {
  readonly status: number | undefined;
  readonly body: string;
  /** The stream's error code when it did not end cleanly (e.g. `ERR_HTTP2_STREAM_ERROR`). */
  readonly error: string | undefined;
}

/**
 * The few client moves the HTTP/2 specs need: a GET read to its end, a GET cancelled
 * (`NGHTTP2_CANCEL`) at a moment of the test's choosing, and the whole session going away.
 *
 * @example
 * await client.cancelAt('/slow', handlerEntered.promise);
 */
export class H2Client {
  constructor(readonly session: ClientHttp2Session) {
    session.on('error', () => {
      // A session the server destroys (a timeout) errors here; the tests look at the server side.
    });
  }

  /** Opens a GET stream. */
  open(path: string): ClientHttp2Stream {
    const stream = this.session.request({ ':path': path });
    stream.on('error', () => {
      // Resets are what these tests provoke; `get` reports them through `error`.
    });
    stream.end();
    return stream;
  }

  /** A GET read until its stream closes. */
  get(path: string): Promise<H2Received> {
    return new Promise((resolve) => {
      const stream = this.open(path);
      let status: number | undefined;
      let body = '';
      let error: string | undefined;
      stream.setEncoding('utf8');
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', (chunk: string) => (body += chunk));
      stream.on('error', (streamError: NodeJS.ErrnoException) => (error = streamError.code));
      stream.on('close', () => resolve({ status, body, error }));
    });
  }

  /** Opens a GET, waits for `moment`, then cancels the stream (`NGHTTP2_CANCEL`), as a browser does. */
  async cancelAt(path: string, moment: Promise<unknown>): Promise<void> {
    const stream = this.open(path);
    stream.resume();
    await moment;
    stream.close(constants.NGHTTP2_CANCEL);
  }

  /** Closes the session (gracefully: open streams end first). */
  close(): void {
    this.session.close();
  }

  /** Destroys the session and its socket at once, as a client that goes away does. */
  destroy(): void {
    this.session.destroy();
  }
}
