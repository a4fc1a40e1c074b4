import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { mergeMap, type Observable, toArray } from 'rxjs';
import {
  gotRequestException,
  requestFinished,
  requestStarted,
  signalsPlugin,
  type RequestLifecycleEvent,
} from '../../lib';
import { REPLAYED_EVENTS_PER_REQUEST } from '../../lib/fastify/request-streams';
import { deferred } from '../core/support/waiting';

function names(events: readonly RequestLifecycleEvent[]): string[] {
  return events.map((event) => ('outcome' in event ? `${event.signal.name}:${event.outcome}` : event.signal.name));
}

/** Subscribes and keeps what the stream emits and whether it completed. */
function watch(events$: Observable<RequestLifecycleEvent>) {
  const seen = { events: [] as RequestLifecycleEvent[], completed: false };
  events$.subscribe({ next: (event) => seen.events.push(event), complete: () => (seen.completed = true) });
  return seen;
}

/** The connections that carry per-request streams (bound to `app`). */
function forwarders(app: FastifyInstance): number {
  return [requestStarted, gotRequestException, requestFinished]
    .flatMap((signal) => signal.receivers())
    .filter(({ name, sender }) => name === 'app.signals.requests$' && sender === app).length;
}

describe('per-request streams: app.signals.requests$ and app.signals.eventsOf(request)', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = Fastify();
    await app.register(signalsPlugin);
  });
  afterEach(() => app.close());

  it('requests$ emits one stream per request at its start: start, exceptions, finish, then complete', async () => {
    app.get('/ok', async () => 'ok');
    app.get('/fails', async () => {
      throw new Error('failure');
    });
    const streams: Array<ReturnType<typeof watch>> = [];
    app.signals.requests$.subscribe((events$) => streams.push(watch(events$)));

    await app.inject('/ok');
    await app.inject('/fails');

    expect(streams.map(({ events }) => names(events))).toEqual([
      ['requestStarted', 'requestFinished:completed'],
      ['requestStarted', 'gotRequestException', 'requestFinished:errored'],
    ]);
    // Completed right after the finish: before inject() even resolved.
    expect(streams.map(({ completed }) => completed)).toEqual([true, true]);
    expect(streams[0].events.every((event) => event.request === streams[0].events[0].request)).toBe(true);
  });

  it('a stream from requests$ subscribed later, while its request runs, replays the events so far', async () => {
    const handlerEntered = deferred();
    const handlerMayEnd = deferred();
    app.get('/slow', async () => {
      handlerEntered.resolve();
      await handlerMayEnd.promise;
      return 'done';
    });
    const handedOver: Array<Observable<RequestLifecycleEvent>> = [];
    app.signals.requests$.subscribe((events$) => handedOver.push(events$));
    const response = app.inject('/slow');
    await handlerEntered.promise;

    const late = watch(handedOver[0]);
    expect(names(late.events)).toEqual(['requestStarted']);
    handlerMayEnd.resolve();
    await response;

    expect(names(late.events)).toEqual(['requestStarted', 'requestFinished:completed']);
    expect(late.completed).toBe(true);
  });

  it("eventsOf(request) in a handler: that request's exception and finish, even when nothing else listens", async () => {
    const seen: Array<ReturnType<typeof watch>> = [];
    app.get('/fails', async (request) => {
      seen.push(watch(app.signals.eventsOf(request)));
      throw new Error('failure');
    });
    expect(requestStarted.hasListeners(app)).toBe(false);

    const response = await app.inject('/fails');

    expect(response.statusCode).toBe(500);
    // requestStarted was not sent (nobody listened when it started), the rest is.
    expect(names(seen[0].events)).toEqual(['gotRequestException', 'requestFinished:errored']);
    expect(seen[0].completed).toBe(true);
    expect(forwarders(app)).toBe(0); // nobody subscribes any more: disconnected
  });

  it('eventsOf(request) subscribed after the request finished completes at once, without events', async () => {
    let finishedRequest: FastifyRequest | undefined;
    app.signals.requestFinished$.subscribe(({ request }) => (finishedRequest = request));
    app.get('/ok', async () => 'ok');
    await app.inject('/ok');

    const late = watch(app.signals.eventsOf(finishedRequest!));

    expect(late).toEqual({ events: [], completed: true });
  });

  it('eventsOf() of a request of another app completes at once; a non-request is a TypeError', async () => {
    const other = Fastify();
    let foreign: FastifyRequest | undefined;
    other.get('/', async (request) => {
      foreign = request;
      return 'other';
    });
    await other.inject('/');

    expect(watch(app.signals.eventsOf(foreign!))).toEqual({ events: [], completed: true });
    expect(() => app.signals.eventsOf('GET /' as never)).toThrow(
      new TypeError(
        "app.signals.eventsOf(request): request must be a Fastify request (a handler's first argument, " +
          'or event.request), got the string "GET /".',
      ),
    );
    await other.close();
  });

  it(`replays at most the last ${REPLAYED_EVENTS_PER_REQUEST} events of a request to a late subscriber`, async () => {
    const handlerEntered = deferred<{ request: FastifyRequest; reply: FastifyReply }>();
    const handlerMayEnd = deferred();
    app.get('/long', async (request, reply) => {
      handlerEntered.resolve({ request, reply });
      await handlerMayEnd.promise;
      return 'done';
    });
    const handedOver: Array<Observable<RequestLifecycleEvent>> = [];
    app.signals.requests$.subscribe((events$) => handedOver.push(events$));
    const response = app.inject('/long');
    const { request, reply } = await handlerEntered.promise;
    for (let n = 0; n < 150; n++) gotRequestException.sendRobust(app, { request, reply, error: new Error(`#${n}`) });

    const late = watch(handedOver[0]);

    expect(late.events).toHaveLength(REPLAYED_EVENTS_PER_REQUEST);
    expect((late.events[0] as { error?: Error }).error?.message).toBe('#50');
    handlerMayEnd.resolve();
    await response;
    expect(late.completed).toBe(true);
  });

  it('keeps concurrent requests apart: each stream gets its own request only', async () => {
    const handlersMayEnd = deferred();
    let entered = 0;
    const allEntered = deferred();
    app.get('/r/:n', async (request) => {
      if (++entered === 50) allEntered.resolve();
      await handlersMayEnd.promise;
      const n = Number((request.params as { n: string }).n);
      if (n % 5 === 0) throw new Error(`failure ${n}`);
      return n;
    });
    const perRequest: RequestLifecycleEvent[][] = [];
    app.signals.requests$
      .pipe(mergeMap((events$) => events$.pipe(toArray())))
      .subscribe((events) => perRequest.push(events));

    const responses = Promise.all(Array.from({ length: 50 }, (_, n) => app.inject(`/r/${n}`)));
    await allEntered.promise;
    handlersMayEnd.resolve();
    await responses;

    expect(perRequest).toHaveLength(50);
    for (const events of perRequest) {
      const { request } = events[0];
      expect(events.every((event) => event.request === request)).toBe(true);
      const n = Number((request.params as { n: string }).n);
      expect(names(events)).toEqual(
        n % 5 === 0
          ? ['requestStarted', 'gotRequestException', 'requestFinished:errored']
          : ['requestStarted', 'requestFinished:completed'],
      );
    }
  });

  it('is indexed by request: three connections for the app whatever the number of requests in flight', async () => {
    const handlersMayEnd = deferred();
    let entered = 0;
    const allEntered = deferred();
    app.get('/r/:n', async () => {
      if (++entered === 100) allEntered.resolve();
      await handlersMayEnd.promise;
      return 'ok';
    });
    const streams: Array<ReturnType<typeof watch>> = [];
    const subscription = app.signals.requests$.subscribe((events$) => streams.push(watch(events$)));

    const responses = Promise.all(Array.from({ length: 100 }, (_, n) => app.inject(`/r/${n}`)));
    await allEntered.promise;
    expect(streams).toHaveLength(100);
    expect(forwarders(app)).toBe(3); // one per signal, not one per request
    expect(requestFinished.receivers()).toHaveLength(1);
    handlersMayEnd.resolve();
    await responses;

    expect(streams.every(({ completed, events }) => completed && events.length === 2)).toBe(true);
    subscription.unsubscribe();
    expect(forwarders(app)).toBe(0); // and gone once nobody subscribes
  });
});
