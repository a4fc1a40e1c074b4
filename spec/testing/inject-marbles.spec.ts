import { BehaviorSubject, firstValueFrom } from 'rxjs';
import type { FastifyInstance } from 'fastify';
import {
  gotRequestException,
  pausable,
  requestFinished,
  requestStarted,
  signalsPlugin,
  templateRendered,
} from '../../lib';
import { byRequest, recordSignals } from '../../lib/testing';
import { deferred } from '../core/support/waiting';
import { VIEWS, fastifyView, quietApp } from './support/apps';

const REQUEST_SIGNALS = [requestStarted, gotRequestException, requestFinished] as const;

/** Real inject() flows, recorded as marble strings: s started, x exception, f finished, t template. */
describe('marbles of real inject() flows', () => {
  let app: FastifyInstance;
  let release = deferred();

  beforeEach(async () => {
    release = deferred();
    app = quietApp();
    await app.register(signalsPlugin);
    await app.register(fastifyView, VIEWS);
    app.get('/ok', async () => 'ok');
    app.get('/page', async (_request, reply) => reply.view('profile.hbs', { user: { name: 'ada' } }));
    app.get('/async-failure', async () => {
      throw new Error('rejected');
    });
    app.get('/sync-failure', () => {
      throw new Error('thrown');
    });
    app.get('/held', async () => {
      await release.promise;
      return 'released';
    });
    await app.ready();
  });
  afterEach(() => app.close());

  it('one request: started, then finished', async () => {
    const recording = recordSignals(REQUEST_SIGNALS, { sender: app });
    const response = await app.inject('/ok');
    recording.stop();
    expect(response.statusCode).toBe(200);
    expect(recording.toMarbles()).toBe('sf');
  });

  it('a render sits between start and finish', async () => {
    const recording = recordSignals([...REQUEST_SIGNALS, templateRendered], { sender: app });
    await app.inject('/page');
    recording.stop();
    expect(recording.toMarbles()).toBe('stf');
  });

  it('the error path: the exception comes before the one finish', async () => {
    const recording = recordSignals(REQUEST_SIGNALS, { sender: app });
    const rejected = await app.inject('/async-failure');
    const thrown = await app.inject('/sync-failure');
    const unknown = await app.inject('/nowhere');
    recording.stop();
    expect([rejected.statusCode, thrown.statusCode, unknown.statusCode]).toEqual([500, 500, 404]);
    // Async rejection, synchronous throw, unknown route (a 404 is a completed request).
    expect(recording.toMarbles()).toBe('sxfsxfsf');
    expect(recording.events.flatMap((event) => ('outcome' in event ? [event.outcome] : []))).toEqual([
      'errored',
      'errored',
      'completed',
    ]);
  });

  it('interleaved concurrent requests, one lane each', async () => {
    const recording = recordSignals(REQUEST_SIGNALS, { sender: app });
    const heldStarted = firstValueFrom(app.signals.requestStarted$);
    const held = app.inject('/held');
    await heldStarted;
    const quick = await app.inject('/ok');
    release.resolve();
    await held;
    recording.stop();
    expect(quick.statusCode).toBe(200);
    expect(recording.toMarbles({ lanes: byRequest })).toBe(['req-1  s--f', 'req-2  -sf-'].join('\n'));
    expect(recording.toMarbles()).toBe('ssff');
  });

  it('pause/resume: a paused receiver keeps its place, drops or holds events, and runs on resume', async () => {
    const nextTick = () => new Promise((resolve) => setImmediate(resolve));
    const recording = recordSignals(requestFinished, { sender: app });
    const dropPaused$ = new BehaviorSubject(false);
    const holdPaused$ = new BehaviorSubject(false);
    // D marks a call of the dropping receiver, H of the holding one (buffer: 1).
    const dropping = requestFinished.connect(() => recording.mark('D'), { sender: app, pipe: pausable(dropPaused$) });
    const holding = requestFinished.connect(() => recording.mark('H'), {
      sender: app,
      pipe: pausable(holdPaused$, { buffer: 1 }),
    });

    await app.inject('/ok');
    dropPaused$.next(true);
    holdPaused$.next(true);
    await app.inject('/ok');
    await app.inject('/ok');
    await nextTick(); // so that the resume's tick is its own
    recording.mark('R');
    dropPaused$.next(false);
    holdPaused$.next(false); // the held (latest) event is delivered now, in the resume's tick
    await app.inject('/ok');
    dropping.unsubscribe();
    holding.unsubscribe();
    recording.stop();

    // Receivers run inside the send that reaches them, so their marks share its tick: (fDH).
    // Paused, neither runs (ff); on resume only the holding one gets its held event: (RH).
    expect(recording.toMarbles({ ticks: true })).toBe('(fDH)ff(RH)(fDH)');
    expect(recording.toMarbles()).toBe('fDHffRHfDH');
  });
});
