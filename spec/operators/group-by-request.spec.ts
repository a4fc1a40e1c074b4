import { Subject, delay, map, mergeMap, toArray } from 'rxjs';
import type { RequestLifecycleEvent } from '../../lib/fastify/signals';
import { groupByRequest, type RequestEvents } from '../../lib/operators/group-by-request';
import { marbles } from '../support/marbles';
import { exceptionEvent, finishedEvent, realRequestsOfThisFile, startedEvent } from './real-requests';

const real = realRequestsOfThisFile();

/** Short labels instead of events, so expectations stay readable (and cheap to compare). */
function label(event: RequestLifecycleEvent): string {
  const name = Object.entries(real).find(
    ([, value]) => (value as { request?: unknown }).request === event.request,
  )?.[0];
  return `${event.signal.name}:${name}`;
}
const labelled = (events$: RequestEvents) => events$.pipe(map(label));

describe('groupByRequest()', () => {
  it('gives each request its own stream, completing right after its requestFinished', () => {
    marbles().run(({ hot, cold, expectObservable }) => {
      const events$ = hot<RequestLifecycleEvent>('a-b-c-d-e-|', {
        a: startedEvent(real.ok),
        b: startedEvent(real.boom),
        c: exceptionEvent(real.boom),
        d: finishedEvent(real.ok, 'completed', 3),
        e: finishedEvent(real.boom, 'errored', 5),
      });
      expectObservable(events$.pipe(groupByRequest(), map(labelled))).toBe('x-y-------|', {
        x: cold('a-----(d|)', { a: 'requestStarted:ok', d: 'requestFinished:ok' }),
        y: cold('b-c---(e|)', {
          b: 'requestStarted:boom',
          c: 'gotRequestException:boom',
          e: 'requestFinished:boom',
        }),
      });
    });
  });

  it('tells which request a stream belongs to', () => {
    marbles().run(({ hot, expectObservable }) => {
      const events$ = hot<RequestLifecycleEvent>('a-b', { a: startedEvent(real.ok), b: startedEvent(real.item) });
      expectObservable(
        events$.pipe(
          groupByRequest(),
          map((events$) => events$.request),
        ),
      ).toBe('a-b', {
        a: real.ok.request,
        b: real.item.request,
      });
    });
  });

  it('replays the whole lifecycle to a late subscriber', () => {
    marbles().run(({ hot, expectObservable }) => {
      const events$ = hot<RequestLifecycleEvent>('a--b', {
        a: startedEvent(real.ok),
        b: finishedEvent(real.ok, 'completed', 1),
      });
      const late$ = events$.pipe(
        groupByRequest(),
        delay(5), // subscribed to at frame 5, after the request finished at frame 3
        mergeMap((events$) => labelled(events$).pipe(toArray())),
      );
      expectObservable(late$).toBe('-----x', { x: ['requestStarted:ok', 'requestFinished:ok'] });
    });
  });

  it('forgets a request once it finished: the same request seen again starts a new stream', () => {
    marbles().run(({ hot, cold, expectObservable }) => {
      const events$ = hot<RequestLifecycleEvent>('a-b-c', {
        a: startedEvent(real.ok),
        b: finishedEvent(real.ok, 'completed', 1),
        c: finishedEvent(real.ok, 'completed', 1),
      });
      expectObservable(events$.pipe(groupByRequest(), map(labelled))).toBe('x---y', {
        x: cold('a-(b|)', { a: 'requestStarted:ok', b: 'requestFinished:ok' }),
        y: cold('(c|)', { c: 'requestFinished:ok' }),
      });
    });
  });

  it('completes the requests still open when the source completes, and errors them when it errors', () => {
    marbles().run(({ hot, cold, expectObservable }) => {
      const started = { a: startedEvent(real.ok) };
      expectObservable(hot<RequestLifecycleEvent>('a--|', started).pipe(groupByRequest(), map(labelled))).toBe('x--|', {
        x: cold('a--|', { a: 'requestStarted:ok' }),
      });
      const failure = new Error('source failed');
      expectObservable(hot<RequestLifecycleEvent>('a--#', started, failure).pipe(groupByRequest(), map(labelled))).toBe(
        'x--#',
        { x: cold('a--#', { a: 'requestStarted:ok' }, failure) },
        failure,
      );
    });
  });

  it('completes the open requests when the result is unsubscribed, and lets go of the source', () => {
    const source = new Subject<RequestLifecycleEvent>();
    const seen: string[] = [];
    let completed = false;
    const subscription = source
      .pipe(groupByRequest())
      .subscribe((events$) =>
        labelled(events$).subscribe({ next: (value) => seen.push(value), complete: () => (completed = true) }),
      );
    source.next(startedEvent(real.ok));
    subscription.unsubscribe();
    expect(completed).toBe(true);
    expect(source.observed).toBe(false);
    source.next(finishedEvent(real.ok, 'completed', 1));
    expect(seen).toEqual(['requestStarted:ok']);
  });
});
