import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** A page that lags this far behind (bytes waiting to be written) is cut off rather than buffered for. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** After this long without a message, a comment line keeps idle proxies from dropping the stream. */
const HEARTBEAT_MS = 15_000;
/** How long `closeAll` lets a response finish before destroying its socket. */
const CLOSE_GRACE_MS = 1000;

/** One open event stream: the stream written to, and the response it flows into. */
interface Client {
  readonly stream: PassThrough;
  readonly reply: FastifyReply;
  readonly closed: Promise<void>;
}

/**
 * The panel's open Server-Sent Events streams, at most `max` at a time. Each stream is a
 * `PassThrough` sent as the reply, so Fastify keeps owning the response (its hooks, its logs,
 * and the request signals see it like any other).
 *
 * @example
 * const clients = new SseClients(5, () => feed.stop());
 * if (clients.full) return reply.code(503).send({ error: 'too many panel clients' });
 * clients.open(reply, feed.welcome());
 * clients.broadcast(feed.takeUpdate());
 * await clients.closeAll(); // on app.close()
 * @internal
 */
export class SseClients {
  private readonly clients = new Set<Client>();
  private lastWrite = Date.now();

  constructor(
    private readonly max: number,
    /** Called when the last client went away. */
    private readonly onEmpty: () => void,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  get full(): boolean {
    return this.clients.size >= this.max;
  }

  /** Starts an event stream on `reply`, beginning with `first`. */
  open(reply: FastifyReply, first: string): void {
    const stream = new PassThrough();
    const closed = new Promise<void>((resolve) => reply.raw.once('close', resolve));
    const client: Client = { stream, reply, closed };
    this.clients.add(client);
    const forget = () => {
      if (this.clients.delete(client) && this.clients.size === 0) this.onEmpty();
    };
    // Whichever comes first: the page goes away, or the stream ends or breaks.
    void closed.then(forget);
    stream.once('close', forget);
    stream.on('error', forget);

    reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-store, no-transform')
      .header('x-accel-buffering', 'no') // ask reverse proxies not to hold events back
      .header('connection', 'close'); // a dedicated connection: ending the stream frees the socket
    // Tell EventSource to wait a little before reconnecting, then send the current state.
    stream.write(`retry: 2000\n\n${first}`);
    void reply.send(stream);
  }

  /**
   * Writes `text` to every open stream, cutting off any page too slow to keep up. With nothing
   * to say for a while, writes an SSE comment instead, which pages ignore.
   */
  broadcast(text: string): void {
    const now = Date.now();
    if (text === '') {
      if (now - this.lastWrite < HEARTBEAT_MS) return;
      text = ': still here\n\n';
    }
    this.lastWrite = now;
    for (const client of this.clients) {
      if (client.stream.writableLength > MAX_BUFFERED_BYTES) client.stream.destroy();
      else client.stream.write(text);
    }
  }

  /** Ends every stream (pages then see the stream close) and waits until their responses are done. */
  async closeAll(): Promise<void> {
    const clients = [...this.clients];
    for (const client of clients) client.stream.end('event: bye\ndata: {}\n\n');
    await Promise.all(
      clients.map(async (client) => {
        const timer = setTimeout(() => client.reply.raw.destroy(), CLOSE_GRACE_MS);
        await client.closed;
        clearTimeout(timer);
      }),
    );
  }
}
