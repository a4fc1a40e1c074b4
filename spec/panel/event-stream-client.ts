import { get, type IncomingHttpHeaders } from 'node:http';

/** One Server-Sent Events message. */
export interface StreamMessage {
  readonly event: string;
  readonly data: unknown;
}

/** A real HTTP client of an event stream, reading it as it arrives. */
export interface EventStreamClient {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every byte received so far, as text (to search for what must never be sent). */
  readonly text: () => string;
  readonly messages: StreamMessage[];
  /** Resolves with the first message (past or future) that satisfies `predicate`. */
  waitFor(predicate: (message: StreamMessage) => boolean, what: string): Promise<StreamMessage>;
  /** Resolves when the server ended the response. */
  readonly ended: Promise<void>;
  /** Hangs up. */
  close(): void;
}

/**
 * Opens `url` over a real socket and parses the event stream as it arrives. Resolves once the
 * response headers are in (whatever the status).
 */
export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      let raw = '';
      let pending = '';
      const messages: StreamMessage[] = [];
      const waiters = new Set<{
        predicate: (message: StreamMessage) => boolean;
        resolve: (m: StreamMessage) => void;
      }>();
      let endedResolve!: () => void;
      const ended = new Promise<void>((done) => (endedResolve = done));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        raw += chunk;
        pending += chunk;
        let boundary: number;
        while ((boundary = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, boundary);
          pending = pending.slice(boundary + 2);
          let event = 'message';
          let data: string | undefined;
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data = line.slice(6);
          }
          if (data === undefined) continue;
          let parsed: unknown = data;
          try {
            parsed = JSON.parse(data);
          } catch {
            // not JSON (an error page): keep the text
          }
          const message = { event, data: parsed };
          messages.push(message);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(message)) {
              waiters.delete(waiter);
              waiter.resolve(message);
            }
          }
        }
      });
      response.on('end', () => endedResolve());
      response.on('close', () => endedResolve());
      response.on('error', () => endedResolve());
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        text: () => raw,
        messages,
        ended,
        waitFor(predicate, what) {
          const found = messages.find(predicate);
          if (found) return Promise.resolve(found);
          return new Promise((resolveWait, rejectWait) => {
            const waiter = { predicate, resolve: resolveWait };
            waiters.add(waiter);
            // Generous: only a bug leaves a condition unmet this long.
            const timer = setTimeout(() => {
              waiters.delete(waiter);
              rejectWait(new Error(`event stream: no message matched "${what}" within 10 s; got ${raw.slice(-2000)}`));
            }, 10_000);
            ended.then(() => {
              if (!waiters.has(waiter)) return;
              waiters.delete(waiter);
              clearTimeout(timer);
              rejectWait(new Error(`event stream ended before "${what}"; got ${raw.slice(-2000)}`));
            });
            const resolveOriginal = waiter.resolve;
            waiter.resolve = (message) => {
              clearTimeout(timer);
              resolveOriginal(message);
            };
          });
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', (error) => reject(error));
  });
}

/** The lane events of every `lanes` message so far. */
export function laneEvents(client: EventStreamClient): Record<string, unknown>[] {
  return client.messages
    .filter((message) => message.event === 'lanes')
    .flatMap((message) => (message.data as { events: Record<string, unknown>[] }).events);
}
