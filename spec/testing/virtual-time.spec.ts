import { debounceTime, delay, filter, map } from 'rxjs';
import { Signal, pausable, receiverErrors } from '../../lib';
import { deliveries, sendMarbles, testScheduler } from '../../lib/testing';

interface Click {
  x: number;
}

const app = { name: 'app' };
const values = { a: { x: 1 }, b: { x: 2 }, c: { x: 3 }, d: { x: 4 } };
const xs = { a: 1, b: 2, c: 3, d: 4 };

function setup() {
  const clicked = new Signal<Click, object>('clicked');
  const scheduler = testScheduler((actual, expected) => expect(actual).toEqual(expected));
  return { clicked, scheduler };
}

describe('virtual time: pipelines over a signal as a hot source', () => {
  it('sends marble values into a signal; signal.pipe sees them at their frames', () => {
    const { clicked, scheduler } = setup();
    scheduler.run(({ expectObservable }) => {
      sendMarbles(scheduler, clicked, '-a-b 5ms c', values, { sender: app });
      expectObservable(clicked.pipe(map((event) => event.x))).toBe('-a-b 5ms c', xs);
      expectObservable(
        clicked.pipe(
          filter((event) => event.x !== 2),
          map((event) => event.sender === app),
        ),
      ).toBe('-t-- 5ms t', { t: true });
    });
  });

  it('debounceTime in a connection pipe: the receiver gets the last event of each burst', () => {
    const { clicked, scheduler } = setup();
    scheduler.run(({ expectObservable }) => {
      sendMarbles(scheduler, clicked, 'ab-c----d', values);
      expectObservable(deliveries(clicked, { pipe: debounceTime(3) }).pipe(map((event) => event.x))).toBe(
        '------c----d',
        xs,
      );
    });
  });

  it('pausable driven by marbles: drops while paused, keeps the receiver connected', () => {
    const { clicked, scheduler } = setup();
    scheduler.run(({ hot, expectObservable }) => {
      const paused$ = hot('t--f', { t: true, f: false });
      sendMarbles(scheduler, clicked, '-a-b-c', values);
      expectObservable(deliveries(clicked, { pipe: pausable(paused$) }).pipe(map((event) => event.x))).toBe(
        '---b-c',
        xs,
      );
    });
  });

  it('pausable with a buffer: held events arrive in order on resume, in the frame of the resume', () => {
    const { clicked, scheduler } = setup();
    scheduler.run(({ hot, expectObservable }) => {
      const paused$ = hot('t----f', { t: true, f: false });
      sendMarbles(scheduler, clicked, '-abc-----d', values);
      expectObservable(
        deliveries(clicked, { pipe: pausable(paused$, { buffer: 2 }) }).pipe(map((event) => event.x)),
      ).toBe('-----(bc)d', xs);
    });
  });

  it('connection order in virtual time: a delayed receiver runs after the others, in its own frame', () => {
    const { clicked, scheduler } = setup();
    const calls: string[] = [];
    scheduler.run(({ flush }) => {
      clicked.connect(({ x }) => calls.push(`delayed ${x} @${scheduler.now()}`), { pipe: delay(2) });
      clicked.connect(({ x }) => calls.push(`plain ${x} @${scheduler.now()}`));
      sendMarbles(scheduler, clicked, '-a', values);
      flush();
    });
    expect(calls).toEqual(['plain 1 @1', 'delayed 1 @3']);
  });

  it('a receiver failing in virtual time is reported on receiverErrors, never thrown into the scheduler', () => {
    const { clicked, scheduler } = setup();
    const reported: unknown[] = [];
    const errors = receiverErrors.subscribe(({ error }) => reported.push(error));
    const failure = new Error('receiver failed');
    scheduler.run(({ expectObservable }) => {
      clicked.connect(
        () => {
          throw failure;
        },
        { pipe: debounceTime(1) },
      );
      sendMarbles(scheduler, clicked, 'a', values);
      expectObservable(clicked.pipe(map(() => 'sent'))).toBe('s', { s: 'sent' });
    });
    errors.unsubscribe();
    expect(reported).toEqual([failure]);
  });

  it('rejects marbles a signal cannot follow, and letters without args', () => {
    const { clicked, scheduler } = setup();
    scheduler.run(() => {
      expect(() => sendMarbles(scheduler, clicked, '-a|', values)).toThrow(
        /completes \('\|'\), but a signal never completes/,
      );
      expect(() => sendMarbles(scheduler, clicked, '-a#', values)).toThrow(/errors \('#'\)/);
      expect(() => sendMarbles(scheduler, clicked, '-z', values)).toThrow(
        /the letter 'z' of '-z' has no args in values \(got undefined\)/,
      );
      expect(() => sendMarbles({} as never, clicked, '-a', values)).toThrow(/scheduler must be the TestScheduler/);
      expect(() => sendMarbles(scheduler, clicked, '-a', values, { sendr: app } as never)).toThrow(/unknown option/);
    });
    expect(() => testScheduler('deepEqual' as never)).toThrow(/must be a function/);
    expect(() => deliveries(null as never)).toThrow(/signal must be a Signal/);
  });

  it('the default scheduler asserts with node:assert, so a wrong expectation fails', () => {
    const clicked = new Signal<Click, object>('clicked');
    const scheduler = testScheduler();
    expect(() =>
      scheduler.run(({ expectObservable }) => {
        sendMarbles(scheduler, clicked, '-a', values);
        expectObservable(clicked.pipe(map((event) => event.x))).toBe('--a', xs);
      }),
    ).toThrow(/Expected values to be strictly deep-equal/);
  });
});
