import {
  bucketLabel,
  describeEvent,
  formatAge,
  formatMs,
  formatPercent,
  kindOf,
  logShare,
} from '../../../lib/panel/browser/format';
import { LATENCY_BUCKETS_MS, type LaneEvent } from '../../../lib/panel/protocol';

const at = 1_732_428_000_000;

describe('panel page: kinds of dots', () => {
  it.each<[string, LaneEvent, string]>([
    ['a start', { signal: 'requestStarted', at, request: 1 }, 'started'],
    ['a completed finish', { signal: 'requestFinished', at, outcome: 'completed', statusCode: 200 }, 'completed'],
    ['a timeout', { signal: 'requestFinished', at, outcome: 'timeout', failing: true }, 'failing'],
    ['an exception', { signal: 'gotRequestException', at, failing: true }, 'failing'],
    ['an aborted finish', { signal: 'requestFinished', at, outcome: 'aborted', statusCode: null }, 'aborted'],
    ['a custom signal', { signal: 'orderPlaced', at }, 'other'],
    ['a custom signal named like a request signal field', { signal: 'constructor', at }, 'other'],
  ])('%s is drawn as %s', (_what, event, kind) => {
    expect(kindOf(event)).toBe(kind);
  });
});

describe('panel page: descriptions', () => {
  it('describes a finish with route pattern, status, outcome, time and request number', () => {
    expect(
      describeEvent({
        signal: 'requestFinished',
        at,
        request: 7,
        method: 'GET',
        route: '/users/:id',
        statusCode: 200,
        outcome: 'completed',
        elapsedMs: 2,
      }),
    ).toBe('requestFinished · GET /users/:id · 200 · completed · 2.0 ms · request #7');
  });

  it('says "no status" when none went out, and names other signals alone', () => {
    expect(
      describeEvent({
        signal: 'requestFinished',
        at,
        method: 'GET',
        route: '/x',
        statusCode: null,
        outcome: 'aborted',
      }),
    ).toBe('requestFinished · GET /x · no status · aborted');
    expect(describeEvent({ signal: '__proto__', at })).toBe('__proto__');
  });
});

describe('panel page: numbers', () => {
  it('always writes times with their unit', () => {
    expect([0.421, 3.14159, 41.6, 999.4, 1234, 45_678].map(formatMs)).toEqual([
      '0.42 ms',
      '3.1 ms',
      '42 ms',
      '999 ms',
      '1.23 s',
      '45.7 s',
    ]);
    expect([null, undefined, NaN].map(formatMs)).toEqual(['—', '—', '—']);
  });

  it('writes shares as percentages and ages in words', () => {
    expect(formatPercent(0.0421)).toBe('4.2 %');
    expect([0, 4200, 125_000].map(formatAge)).toEqual(['now', '4 s ago', '2 min ago']);
  });

  it('places times on a log scale from 0.1 ms to the maximum', () => {
    expect(logShare(10, 1000)).toBeCloseTo(0.5);
    expect(logShare(1000, 1000)).toBe(1);
    expect(logShare(5000, 1000)).toBe(1);
    expect(logShare(0.05, 1000)).toBe(0);
    expect(logShare(NaN, 1000)).toBe(0);
    expect(logShare(1, 10)).toBeCloseTo(0.5); // a 1 ms receiver is half way to a 10 ms one, not a tenth
  });

  it('labels every histogram bucket, the last one open-ended', () => {
    expect(bucketLabel(0)).toBe('≤ 1 ms');
    expect(bucketLabel(LATENCY_BUCKETS_MS.indexOf(2000))).toBe('≤ 2 s');
    expect(bucketLabel(LATENCY_BUCKETS_MS.length)).toBe('> 10 s');
  });
});
