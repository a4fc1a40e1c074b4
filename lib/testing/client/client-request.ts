import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest, LightMyRequestResponse } from 'fastify';
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
import { HeldWhileBusy } from './held-while-busy';

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
 * const record = new ClientRequest(client, (settled) => console.log(settled.events)); // its requestStarted ... requestFinished
 * clientRequests.run(record, () => app.inject('/', (error, response) => record.answered(error, response)));
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
  /** What `inject()` gave, once it did: the response, or (without one) the error it failed with. */
  injected: { readonly response?: LightMyRequestResponse; readonly error?: unknown } | undefined = undefined;
  /** A context whose copy threw (a hostile getter): given to the caller instead of a response. */
  failure: { error: unknown } | undefined = undefined;
  private settled = false;

  /**
   * @param onSettled called once, when `inject()` has answered and, if the request started, its
   *   `requestFinished` was sent (after that send, never inside it).
   */
  constructor(
    /** The client that sends it. */
    readonly sentBy: object,
    private readonly onSettled: (record: ClientRequest) => void,
  ) {}

  /** `inject()`'s answer (its callback, or its synchronous throw). */
  answered(error: unknown, response: LightMyRequestResponse | undefined): void {
    this.injected = response ? { response } : { error };
    // A started request whose response went out has been finished already (the plugin finishes
    // at the response's end, inject() answers a tick later); an aborted one may finish later.
    if (this.request === undefined || this.finish !== undefined) this.settle();
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
      // Settled once the finish send is over (its muted receivers skipped): a native microtask
      // (Jest's fake timers fake queueMicrotask).
      if (this.injected !== undefined) void Promise.resolve().then(() => this.settle());
    }
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettled(this);
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
 * while a client request is in flight, and until the next turn of the event loop: it makes the
 * plugin follow requests and build payloads, which nothing else may pay for. As a subscriber, not
 * a connection, it takes no place among the receivers and still hears events whose receivers are
 * muted.
 *
 * @example
 * clientRequests.run(record, () => app.inject('/', (error, response) => record.answered(error, response)));
 * @internal
 */
export const clientRequests = {
  /** The shared subscription, while client requests are in flight (and one turn after). */
  listening: new HeldWhileBusy(listen),

  /** Runs `send` (the `inject()` call) with `record` as the request it starts, tracking it until {@link release}. */
  run<R>(record: ClientRequest, send: () => R): R {
    this.listening.acquire();
    return storage.run(record, send);
  },

  /** Ends the tracking of one request (finished, or failed before it started). */
  release(): void {
    this.listening.release();
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

function listen(): () => void {
  const subscription = new Subscription();
  const observe = (event: ClientEvent) => clientRequests.ownerOf(event)?.add(event);
  for (const signal of SIGNALS) {
    subscription.add((signal.asObservable() as Observable<ClientEvent>).subscribe(observe));
  }
  return () => subscription.unsubscribe();
}
