import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Subscription, type Observable } from 'rxjs';
import type { SignalEvent } from '../../core/signal';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  templateRendered,
  type RequestFinishedEvent,
  type RequestLifecycleEvent,
  type TemplateRenderedArgs,
} from '../../fastify/signals';
import { snapshot } from '../internal/snapshot';

/**
 * An event of `templateRendered`.
 *
 * @example
 * const renders = response.events.filter((event): event is TemplateRenderedEvent => event.signal === templateRendered);
 */
export type TemplateRenderedEvent = SignalEvent<TemplateRenderedArgs, FastifyInstance>;

/**
 * An event of one test-client request: its request signals and its renders.
 *
 * @example
 * response.events.map((event: ClientEvent) => event.signal.name); // ['requestStarted', 'templateRendered', 'requestFinished']
 */
export type ClientEvent = RequestLifecycleEvent | TemplateRenderedEvent;

/**
 * What the client gathers for one request it sends, from before its `requestStarted` until its
 * `requestFinished`: its events, its renders (contexts copied at render time) and its finish.
 *
 * Which request is it? The client runs `inject()` inside {@link clientRequests}'s
 * AsyncLocalStorage, entered with this record. The plugin sends `requestStarted` from its
 * `onRequest` hook, synchronously inside the dispatch that `inject()` started, so the first
 * `requestStarted` seen in this async context *claims* its request: from then on every event is
 * tied to it by the identity of `event.request` (a WeakMap lookup), wherever and in whatever
 * async context it is sent (a streamed response's late finish, a timer). Nothing is added to the
 * request, its headers or what the app sees. A render without a request (`app.view`) belongs to
 * the claimed request whose async context it runs in, until that request finished.
 *
 * @example
 * const record = new ClientRequest();
 * const response = await clientRequests.run(record, () => app.inject('/'));
 * await record.finished;
 * record.events; // its requestStarted ... requestFinished
 * @internal
 */
export class ClientRequest {
  /** The request this record claimed at its `requestStarted`, if one started. */
  request: FastifyRequest | undefined = undefined;
  readonly events: ClientEvent[] = [];
  readonly templates: string[] = [];
  readonly contexts: Readonly<Record<string, unknown>>[] = [];
  /** Its `requestFinished`, once sent. */
  finish: RequestFinishedEvent | undefined = undefined;
  /** A context whose copy threw (a hostile getter): given to the caller instead of a response. */
  failure: { error: unknown } | undefined = undefined;
  /** Settles once `requestFinished` was sent (its receivers have run by the time a continuation does). */
  readonly finished: Promise<void>;
  private markFinished!: () => void;

  constructor() {
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
  }

  /** Keeps one of its events; called by the shared subscription, so it must never throw. */
  add(event: ClientEvent): void {
    this.events.push(event);
    if (event.signal === templateRendered) {
      const render = event as TemplateRenderedEvent;
      this.templates.push(render.template);
      try {
        this.contexts.push(snapshot(render.context));
      } catch (error) {
        this.failure ??= { error };
        this.contexts.push(render.context);
      }
    } else if (event.signal === requestFinished) {
      this.finish = event as RequestFinishedEvent;
      this.markFinished();
    }
  }
}

const storage = new AsyncLocalStorage<ClientRequest>();
/** Claimed requests and their records: index by request, no lookup grows with requests in flight. */
const owners = new WeakMap<object, ClientRequest>();
const SIGNALS = [requestStarted, gotRequestException, templateRendered, requestFinished] as const;

/**
 * The requests of every test client in flight, and the one subscription that listens for them.
 *
 * The subscription (one Observable subscriber per signal, shared by all clients) exists only
 * while a client request is in flight: it makes the plugin follow requests and build payloads,
 * which nothing else may pay for. As a subscriber, not a connection, it takes no place among the
 * receivers and still hears events whose receivers are muted.
 *
 * @example
 * const response = await clientRequests.run(record, () => app.inject('/'));
 * @internal
 */
export const clientRequests = {
  inFlight: 0,
  subscription: null as Subscription | null,

  /** Runs `send` (the `inject()` call) with `record` as the request it starts, tracking it until {@link release}. */
  run<R>(record: ClientRequest, send: () => R): R {
    if (this.inFlight++ === 0) this.subscription = listen();
    return storage.run(record, send);
  },

  /** Ends the tracking of one request (finished, or failed before it started). */
  release(): void {
    if (--this.inFlight === 0) {
      this.subscription?.unsubscribe();
      this.subscription = null;
    }
  },

  /**
   * The record an event belongs to, if a client sent its request. A `requestStarted` sent inside
   * a client's `inject()` claims its request for that client (see {@link ClientRequest}).
   * Safe to call for any event, more than once.
   */
  ownerOf(event: { readonly signal: unknown; readonly request?: unknown }): ClientRequest | undefined {
    const request = event.request;
    if (typeof request === 'object' && request !== null) {
      const owner = owners.get(request);
      if (owner !== undefined || event.signal !== requestStarted) return owner;
      const candidate = storage.getStore();
      if (candidate === undefined || candidate.request !== undefined) return undefined;
      candidate.request = request as FastifyRequest;
      owners.set(request, candidate);
      return candidate;
    }
    if (event.signal !== templateRendered) return undefined;
    // app.view: the render of the client request in whose async context it runs, if still open.
    const current = storage.getStore();
    return current?.request !== undefined && current.finish === undefined ? current : undefined;
  },
};

function listen(): Subscription {
  const subscription = new Subscription();
  const observe = (event: ClientEvent) => clientRequests.ownerOf(event)?.add(event);
  for (const signal of SIGNALS) {
    subscription.add((signal.asObservable() as Observable<ClientEvent>).subscribe(observe));
  }
  return subscription;
}
