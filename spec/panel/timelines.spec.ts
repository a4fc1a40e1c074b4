import diagnostics from 'node:diagnostics_channel';
import Fastify, { type FastifyInstance } from 'fastify';
import { requestFinished, requestStarted, signalsPlugin, type RequestFinishedEvent } from '../../lib';
import { RequestMarks } from '../../lib/panel/lane-event';
import { Timelines } from '../../lib/panel/timelines';

/** Timelines on a real app, with a small budget of timelines per second. */
describe('request timelines: a budget per second', () => {
  let app: FastifyInstance;
  let timelines: Timelines;
  const marks = new RequestMarks();
  const finished: number[] = [];

  beforeEach(async () => {
    app = Fastify();
    await app.register(signalsPlugin);
    // As the panel's own receiver: the plugin sends only the signals someone receives.
    app.signals.connect(requestStarted, () => undefined);
    app.signals.connect(requestFinished, ({ request }: RequestFinishedEvent) => {
      finished.push(marks.number(request));
    });
    app.get('/ok', async () => 'ok');
    await app.ready();
    timelines = new Timelines({
      keep: 50,
      perSecond: 3,
      marks,
      isOurs: () => true,
      own: new Set(),
      now: () => performance.now(),
    });
  });
  afterEach(async () => {
    timelines.stop();
    await app.close();
    finished.length = 0;
  });

  const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));

  it('records the first requests of each second, then leaves the channels until the next second', async () => {
    await nextSecond(); // a whole second ahead
    timelines.start();
    for (let i = 0; i < 8; i++) await app.inject('/ok');
    const recorded = finished.filter((number) => timelines.get(number) !== undefined);
    expect(recorded).toEqual(finished.slice(0, 3));
    expect(timelines.get(finished[0])!.events.map((event) => event.signal)).toEqual([
      'requestStarted',
      'requestFinished',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Spent: nobody listens to the channels, so sends pay nothing for the timelines.
    expect(diagnostics.hasSubscribers('rx-signals:send')).toBe(false);
    await nextSecond();
    expect(diagnostics.hasSubscribers('rx-signals:send')).toBe(true);
    await app.inject('/ok');
    expect(timelines.get(finished.at(-1)!)).toBeDefined();
  });

  it('never leaves the channels while a recorded request is still in flight', async () => {
    await nextSecond();
    let release!: () => void;
    await app.close();
    app = Fastify();
    await app.register(signalsPlugin);
    // As the panel's own receiver: the plugin sends only the signals someone receives.
    app.signals.connect(requestStarted, () => undefined);
    app.signals.connect(requestFinished, ({ request }: RequestFinishedEvent) => {
      finished.push(marks.number(request));
    });
    app.get('/held', async () => new Promise<string>((resolve) => (release = () => resolve('late'))));
    app.get('/ok', async () => 'ok');
    await app.ready();
    timelines.start();
    const held = app.inject('/held');
    for (let i = 0; i < 5; i++) await app.inject('/ok');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(diagnostics.hasSubscribers('rx-signals:send')).toBe(true); // /held is recorded and not done
    release();
    await held;
    const heldNumber = finished.at(-1)!;
    expect(timelines.get(heldNumber)!.events.map((event) => event.signal)).toEqual([
      'requestStarted',
      'requestFinished',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(diagnostics.hasSubscribers('rx-signals:send')).toBe(false);
  });
});
