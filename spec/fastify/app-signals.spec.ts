import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { mergeMap, toArray } from 'rxjs';
import { gotRequestException, requestFinished, requestStarted, Signal, signalsPlugin } from '../../lib';
import { collectGarbageUntil } from '../core/support/gc';

async function appWithPlugin(options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(options);
  await app.register(signalsPlugin);
  app.get('/ok', async () => 'ok');
  app.get('/fails', async () => {
    throw new Error('failure');
  });
  return app;
}

describe('app.signals', () => {
  it("requestStarted$, gotRequestException$ and requestFinished$ carry this app's events only", async () => {
    const first = await appWithPlugin();
    const second = await appWithPlugin();
    const seen: string[] = [];
    first.signals.requestStarted$.subscribe(({ request }) => seen.push(`started ${request.url}`));
    first.signals.gotRequestException$.subscribe(({ error }) => seen.push(`exception ${error.message}`));
    first.signals.requestFinished$.subscribe(({ request, outcome }) => seen.push(`finished ${request.url} ${outcome}`));

    await second.inject('/ok');
    await second.inject('/fails');
    await first.inject('/fails');

    expect(seen).toEqual(['started /fails', 'exception failure', 'finished /fails errored']);
    await first.close();
    await second.close();
  });

  it('its streams complete when the app closes, and complete at once when subscribed after', async () => {
    const app = await appWithPlugin();
    const completed: string[] = [];
    app.signals.requestStarted$.subscribe({ complete: () => completed.push('requestStarted$') });
    app.signals.gotRequestException$.subscribe({ complete: () => completed.push('gotRequestException$') });
    app.signals.requestFinished$.subscribe({ complete: () => completed.push('requestFinished$') });
    app.signals.requests$.subscribe({ complete: () => completed.push('requests$') });

    await app.close();

    expect(completed.sort()).toEqual(['gotRequestException$', 'requestFinished$', 'requestStarted$', 'requests$']);
    let lateCompleted = false;
    app.signals.requestFinished$.subscribe({ complete: () => (lateCompleted = true) });
    expect(lateCompleted).toBe(true);
  });

  it('its streams compose with RxJS: one array of events per request', async () => {
    const app = await appWithPlugin();
    const perRequest: string[][] = [];
    app.signals.requests$
      .pipe(mergeMap((events$) => events$.pipe(toArray())))
      .subscribe((events) => perRequest.push(events.map((event) => event.signal.name)));

    await app.inject('/ok');
    await app.inject('/fails');

    expect(perRequest).toEqual([
      ['requestStarted', 'requestFinished'],
      ['requestStarted', 'gotRequestException', 'requestFinished'],
    ]);
    await app.close();
  });

  it('connect() defaults the sender to this app, and is listed as bound to it', async () => {
    const first = await appWithPlugin();
    const second = await appWithPlugin();
    const urls: string[] = [];
    function auditRequest({ request }: { request: { url: string } }) {
      urls.push(request.url);
    }
    first.signals.connect(requestFinished, auditRequest);

    await second.inject('/ok');
    await first.inject('/fails');

    expect(urls).toEqual(['/fails']);
    expect(requestFinished.receivers()).toEqual([
      expect.objectContaining({ name: 'auditRequest', bound: true, sender: first }),
    ]);
    await first.close();
    await second.close();
  });

  it('connect() keeps an explicit sender and the other options of signal.connect', async () => {
    const app = await appWithPlugin();
    const other = await appWithPlugin();
    const urls: string[] = [];
    const receiver = ({ request }: { request: { url: string } }) => {
      urls.push(request.url);
    };
    const subscription = app.signals.connect(requestStarted, receiver, { sender: other, dispatchUid: 'audit' });
    expect(app.signals.connect(requestStarted, () => undefined, { sender: other, dispatchUid: 'audit' })).toBe(
      subscription,
    );

    await app.inject('/ok');
    await other.inject('/fails');

    expect(urls).toEqual(['/fails']);
    await app.close();
    expect(subscription.closed).toBe(true); // still this app's connection: ended with it
    await other.close();
  });

  it('connect() works for any signal, and its receivers are disconnected when the app closes', async () => {
    const app = await appWithPlugin();
    const cacheCleared = new Signal<{ keys: string[] }, FastifyInstance>('cacheCleared');
    const cleared: string[][] = [];
    const subscription = app.signals.connect(cacheCleared, ({ keys }) => {
      cleared.push(keys);
    });

    cacheCleared.send(app, { keys: ['a'] });
    await app.close();
    cacheCleared.send(app, { keys: ['b'] });

    expect(cleared).toEqual([['a']]);
    expect(subscription.closed).toBe(true);
    expect(cacheCleared.hasListeners()).toBe(false);
  });

  it('connect() after close throws, and bad input is a TypeError that says how to fix it', async () => {
    const app = await appWithPlugin();
    expect(() => app.signals.connect({} as never, () => undefined)).toThrow(
      new TypeError(
        'app.signals.connect(signal, receiver): signal must be a Signal, got an object. ' +
          'For example app.signals.connect(requestFinished, receiver).',
      ),
    );
    expect(() => app.signals.connect(requestFinished, 'log' as never)).toThrow(/the receiver must be a function/);
    expect(() => app.signals.connect(requestFinished, () => undefined, { snder: app } as never)).toThrow(
      /unknown option "snder"/,
    );
    expect(() => app.signals.connect(requestFinished, () => undefined, 'now' as never)).toThrow(
      /app\.signals\.connect\(\): options must be an object, got the string "now"/,
    );
    await app.close();
    expect(() => app.signals.connect(requestFinished, () => undefined)).toThrow(
      /app\.signals\.connect\(requestFinished\): the app is closed/,
    );
  });

  it('after close nothing of the app stays reachable from the global signals (the app is garbage-collected)', async () => {
    const appRef = await (async () => {
      // A logger that writes nowhere: the failing receiver is logged, so nothing else holds its report.
      const app = await appWithPlugin({
        logger: { stream: new Writable({ write: (_chunk, _encoding, done) => done() }) },
      });
      app.signals.connect(requestStarted, () => undefined);
      app.signals.connect(requestFinished, function failing() {
        throw new Error('reported through the app logger');
      });
      app.signals.requestFinished$.subscribe();
      app.signals.gotRequestException$.subscribe();
      app.signals.requests$.pipe(mergeMap((events$) => events$)).subscribe();
      app.get('/stream', async (request) => {
        app.signals.eventsOf(request).subscribe();
        return 'ok';
      });
      await app.inject('/ok');
      await app.inject('/fails');
      await app.inject('/stream');
      expect(requestStarted.hasListeners(app)).toBe(true);

      await app.close();

      for (const signal of [requestStarted, gotRequestException, requestFinished]) {
        expect(signal.hasListeners(app)).toBe(false);
        expect(signal.receivers().filter(({ sender }) => sender === app)).toEqual([]);
      }
      return new WeakRef(app);
    })();

    await collectGarbageUntil(() => appRef.deref() === undefined);
  });
});
