import type { RequestLifecycleEvent } from '../../lib/fastify/signals';
import { routeKey } from '../../lib/operators/group-by-route';
import { isRequestException, isRequestFinished, isRequestStarted } from '../../lib/operators/request-events';
import {
  UNMATCHED_ROUTE,
  isFailedRequest,
  summarizeRequest,
  summarizeRequests,
  type RequestSummary,
} from '../../lib/operators/summarize-requests';
import { marbles } from '../support/marbles';
import { exceptionEvent, finishedEvent, realRequestsOfThisFile, startedEvent } from './real-requests';

const real = realRequestsOfThisFile();

describe('summarizeRequests()', () => {
  it('emits one summary per finished request and skips the other signals', () => {
    marbles().run(({ hot, expectObservable }) => {
      const events$ = hot<RequestLifecycleEvent>('a-b-c-d-e-f|', {
        a: startedEvent(real.ok),
        b: startedEvent(real.boom),
        c: exceptionEvent(real.boom),
        d: finishedEvent(real.ok, 'completed', 2.5),
        e: finishedEvent(real.boom, 'errored', 7),
        f: finishedEvent(real.missing, 'completed', 1),
      });
      expectObservable(events$.pipe(summarizeRequests())).toBe('------d-e-f|', {
        d: { method: 'GET', route: '/ok', statusCode: 200, outcome: 'completed', elapsedMs: 2.5 },
        e: { method: 'POST', route: '/boom', statusCode: 500, outcome: 'errored', elapsedMs: 7 },
        f: { method: 'GET', route: UNMATCHED_ROUTE, statusCode: 404, outcome: 'completed', elapsedMs: 1 },
      });
    });
  });

  it('reports no status code for a request whose client went away before any response', () => {
    marbles().run(({ hot, expectObservable }) => {
      const events$ = hot<RequestLifecycleEvent>('a', { a: finishedEvent(real.aborted, 'aborted', 30) });
      expectObservable(events$.pipe(summarizeRequests())).toBe('a', {
        a: { method: 'GET', route: '/hang', statusCode: null, outcome: 'aborted', elapsedMs: 30 },
      });
    });
  });

  it('keeps the route pattern, never the URL, its ids, query string, headers or body', () => {
    const summaries: RequestSummary[] = [];
    marbles().run(({ hot, expectObservable }) => {
      const events$ = hot<RequestLifecycleEvent>('a', { a: finishedEvent(real.item, 'completed', 3) });
      const summary$ = events$.pipe(summarizeRequests());
      summary$.subscribe((summary) => summaries.push(summary));
      expectObservable(summary$).toBe('a', {
        a: { method: 'GET', route: '/items/:id', statusCode: 200, outcome: 'completed', elapsedMs: 3 },
      });
    });
    expect(real.item.request.url).toBe('/items/42?secret=hunter2'); // the fixture does carry them
    expect(Object.keys(summaries[0]).sort()).toEqual(['elapsedMs', 'method', 'outcome', 'route', 'statusCode']);
    const text = JSON.stringify(summaries);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('42');
    expect(text).not.toContain('x-tag');
  });
});

describe('isFailedRequest()', () => {
  it.each([
    ['completed', 200, false],
    ['completed', 404, false],
    ['completed', 503, true],
    ['errored', 500, true],
    ['timeout', null, true],
    ['timeout', 503, true],
    ['aborted', null, false],
  ] as const)('outcome %s with status %s → %s', (outcome, statusCode, failed) => {
    expect(isFailedRequest({ outcome, statusCode })).toBe(failed);
  });
});

describe('bad input to the request helpers', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 5],
    ['a summary instead of an event', { method: 'GET', route: '/ok', outcome: 'completed', elapsedMs: 1 }],
    ['an event without a reply', { request: { method: 'GET' }, outcome: 'completed', elapsedMs: 1 }],
  ])('summarizeRequest refuses %s with a TypeError saying what to pass', (_label, event) => {
    expect(() => summarizeRequest(event as never)).toThrow(TypeError);
    expect(() => summarizeRequest(event as never)).toThrow(
      /^summarizeRequest\(event\): event must be a requestFinished event \(\{ request, reply, outcome, elapsedMs \}\), got .*Pass the event a requestFinished receiver gets\.$/,
    );
  });

  it('routeKey refuses what is not a request summary', () => {
    for (const summary of [undefined, null, 'GET /ok', { method: 'GET' }, { route: '/ok', method: 1 }]) {
      expect(() => routeKey(summary as never)).toThrow(TypeError);
      expect(() => routeKey(summary as never)).toThrow(/routeKey\(summary\): summary must be a request summary/);
    }
  });

  it('the isRequest* type guards answer false for anything that is not such an event, and never throw', () => {
    const anything: unknown[] = [
      undefined,
      null,
      0,
      'requestStarted',
      {},
      { signal: 'requestStarted' },
      () => undefined,
    ];
    for (const guard of [isRequestStarted, isRequestException, isRequestFinished]) {
      for (const value of anything) expect(guard(value)).toBe(false);
    }
    expect(isRequestStarted(startedEvent(real.ok))).toBe(true);
    expect(isRequestException(exceptionEvent(real.boom))).toBe(true);
    expect(isRequestFinished(finishedEvent(real.ok, 'completed', 1))).toBe(true);
    expect(isRequestFinished(startedEvent(real.ok))).toBe(false);
  });
});
