import diagnostics from 'node:diagnostics_channel';
import Fastify, { type FastifyInstance } from 'fastify';
import { receiverErrors, requestFinished, requestStarted, signalsPlugin, type RequestFinishedEvent } from '../../lib';
import type { Subscription } from 'rxjs';
import { observers } from '../../lib/core/observers';
import { RequestMarks } from '../../lib/panel/lane-event';
import { Timelines } from '../../lib/panel/timelines';

/** Timelines on a real app, with a small budget of timelines per second. */
describe('request timelines', () => {
  let app: FastifyInstance;
  let timelines: Timelines;
  const marks = new RequestMarks();
  const finished: number[] = [];
  let release: () => void = () => undefined;
  const reported: string[] = [];
  let reports: Subscription;

  async function slowReceiver() {
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  function failingReceiver(): void {
    throw new Error('receiver failed');
  }

  beforeEach(async () => {
    reports = receiverErrors.subscribe(({ receiver }) => reported.push(receiver.name));
    app = Fastify();
    await app.register(signalsPlugin);
    app.signals.connect(requestStarted, slowReceiver);
    app.signals.connect(requestStarted, failingReceiver);
    app.signals.connect(requestFinished, ({ request }: RequestFinishedEvent) => {
      finished.push(marks.number(request));
    });
    app.get('/ok', async () => 'ok');
    app.get('/held', async () => new Promise<string>((resolve) => (release = () => resolve('late'))));
    await app.ready();
    timelines = new Timelines({ keep: 50, perSecond: 3, marks, isOurs: () => true, own: new Set() });
  });
  afterEach(async () => {
    timelines.stop();
    await app.close();
    reports.unsubscribe();
    finished.length = 0;
    reported.length = 0;
  });

  it('records perSecond requests a second at most: the first ones, then the first after each refill', async () => {
    timelines.start();
    for (let i = 0; i < 8; i++) await app.inject('/ok');
    const recorded = finished.filter((number) => timelines.get(number) !== undefined);
    expect(recorded).toEqual(finished.slice(0, 3));
    expect(timelines.get(finished[0])!.events.map((event) => event.signal)).toEqual([
      'requestStarted',
      'requestFinished',
    ]);
    await app.inject('/ok');
    expect(timelines.get(finished.at(-1)!)).toBeUndefined(); // this second's budget is spent
    await new Promise((resolve) => setTimeout(resolve, 1050)); // the budget refilled once
    await app.inject('/ok');
    expect(timelines.get(finished.at(-1)!)).toBeDefined();
  });

  it("times a receiver's Promise until it settles and marks a receiver that throws", async () => {
    timelines.start();
    const held = app.inject('/held');
    await new Promise((resolve) => setTimeout(resolve, 60));
    release();
    await held;
    const [started] = timelines.get(finished.at(-1)!)!.events;
    expect(started.calls.map(({ receiver, failed }) => [receiver, failed])).toEqual([
      ['slowReceiver', false],
      ['failingReceiver', true],
    ]);
    expect(started.calls[0].ms).toBeGreaterThanOrEqual(25);
    expect(reported).toEqual(['failingReceiver']); // timed and still reported as every failure is
  });

  // Regression: the timelines followed requests through the tracing channels and left them for
  // the rest of each second once its budget was spent. Each subscribe/unsubscribe swapped the
  // channels' prototypes, V8 deoptimised the sends that read them, and an app with a panel page
  // open served ~12 % fewer requests. They watch the core instead, with no channel involved.
  it('never subscribes to the tracing channels: a page open and closed leaves the channels and the flags as they were', async () => {
    timelines.start();
    expect([observers.sends, observers.publishedSends, observers.calls]).toEqual([true, false, true]);
    for (let i = 0; i < 5; i++) await app.inject('/ok');
    expect(diagnostics.hasSubscribers('rx-signals:send')).toBe(false);
    expect(diagnostics.tracingChannel('rx-signals:receiver').hasSubscribers).toBe(false);
    timelines.stop();
    expect([observers.sends, observers.publishedSends, observers.calls]).toEqual([false, false, false]);
    expect(timelines.get(finished[0])).toBeUndefined(); // what a closed page recorded is gone
  });
});
