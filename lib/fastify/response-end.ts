import { constants as http2Constants, type Http2ServerResponse, type Http2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { RequestState } from './request-state';

/** What a watched response or socket holds under the lifecycle's key. */
type Held = Record<symbol, RequestState | Set<RequestState> | undefined>;

/**
 * Sees the end of each followed request's response, whatever the protocol and the path, and
 * calls `ended(state)` (the lifecycle sends `requestFinished` at the first call, and ignores the
 * rest). Listeners are shared by every request (a response or socket holds its state under the
 * lifecycle's key): no closure per request.
 *
 * - HTTP/1.1 and `inject()`: the response's `'finish'` (it went out in full) and `'close'`
 *   (emitted on every path; first when the connection went away).
 * - HTTP/1.1 pipelining: a response queued behind another one on the same socket gets neither
 *   when the socket dies; those (and only those) are also kept on their socket, whose `'close'`
 *   ends them.
 * - HTTP/2: Node's compatibility layer emits `'finish'` then `'close'` on every stream end,
 *   cancelled or not. Only `'close'` is listened to, and the stream says whether the response
 *   went out: ended by the app and closed with `NGHTTP2_NO_ERROR`, not reset by the client.
 *
 * @example
 * const responses = new ResponseEnd(key, (state) => lifecycle.finish(state));
 * responses.watch(state);          // at the request's start
 * responses.forget(state);         // when it finished
 * @internal
 */
export class ResponseEnd {
  private readonly onFinish: (this: Held) => void;
  private readonly onClose: (this: Held) => void;
  private readonly onStreamClose: (this: Http2ServerResponse) => void;
  private readonly onQueueSocketClose: (this: Held) => void;
  /** Ends a request whose connection was already gone when it began to be followed. */
  private readonly endGone: (state: RequestState) => void;

  constructor(
    private readonly key: symbol,
    ended: (state: RequestState) => void,
  ) {
    this.endGone = (state) => {
      const response = state.reply.raw;
      if (state.request.raw.httpVersionMajor === 2)
        state.responded = streamWentOut(response as unknown as Http2ServerResponse);
      ended(state);
    };
    this.onFinish = function onResponseFinish(this: Held) {
      const state = this[key] as RequestState;
      state.responded = true;
      ended(state);
    };
    this.onClose = function onResponseClose(this: Held) {
      ended(this[key] as RequestState);
    };
    this.onStreamClose = function onStreamClose(this: Http2ServerResponse) {
      const state = (this as unknown as Held)[key] as RequestState;
      state.responded = streamWentOut(this);
      ended(state);
    };
    this.onQueueSocketClose = function onQueueSocketClose(this: Held) {
      const queued = this[key] as Set<RequestState>;
      for (const state of [...queued]) ended(state);
      queued.clear();
    };
  }

  /**
   * Starts watching the response of a request that begins to be followed. A request whose
   * connection is already gone (its events came before) is ended on the next tick, after its
   * `requestStarted`.
   */
  watch(state: RequestState): void {
    const response = state.reply.raw;
    (response as unknown as Held)[this.key] = state;
    const gone = response.destroyed || this.connectionGone(state);
    if (state.request.raw.httpVersionMajor === 2) {
      response.on('close', this.onStreamClose);
    } else {
      response.on('finish', this.onFinish).on('close', this.onClose);
      // Node gives a response its socket at once, unless another response is still being written
      // on it (pipelining): then it waits in a queue, and dies unseen with the socket.
      if (response.socket === null && !gone) this.queue(state, state.request.raw.socket);
    }
    if (gone) process.nextTick(this.endGone, state);
  }

  /** Drops what was kept for a request that finished. */
  forget(state: RequestState): void {
    const socket = state.queuedOn;
    if (socket === null) return;
    state.queuedOn = null;
    ((socket as unknown as Held)[this.key] as Set<RequestState> | undefined)?.delete(state);
  }

  /**
   * True when the request's connection is gone (destroyed, maybe with its `'close'` events still
   * to come), so that it can only end unfinished.
   */
  connectionGone(state: RequestState): boolean {
    const raw = state.request.raw;
    if (raw.httpVersionMajor === 2) {
      const stream = (raw as unknown as { stream?: Http2Stream }).stream;
      return stream === undefined || stream.destroyed || stream.session?.destroyed === true;
    }
    return (raw.socket as Socket | null)?.destroyed === true;
  }

  private queue(state: RequestState, socket: Socket): void {
    const held = socket as unknown as Held;
    let queued = held[this.key] as Set<RequestState> | undefined;
    if (queued === undefined) {
      queued = new Set();
      held[this.key] = queued;
      socket.once('close', this.onQueueSocketClose);
    }
    queued.add(state);
    state.queuedOn = socket;
  }
}

/** An HTTP/2 response went out in full: the app ended it and the stream closed without a reset. */
function streamWentOut(response: Http2ServerResponse): boolean {
  const stream = response.stream as Http2Stream | undefined;
  return (
    response.writableEnded &&
    stream !== undefined &&
    !stream.aborted &&
    stream.rstCode === http2Constants.NGHTTP2_NO_ERROR
  );
}
