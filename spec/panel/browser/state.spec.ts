import { PageState } from '../../../lib/panel/browser/state';
import { LANE_WINDOW_MS, MAX_PER_LANE, RECENT_REQUESTS, type LaneEvent } from '../../../lib/panel/protocol';

const now = 1_732_428_000_000;
const finish = (request: number, at = now): LaneEvent => ({
  signal: 'requestFinished',
  at,
  request,
  method: 'GET',
  route: '/ok',
  statusCode: 200,
  outcome: 'completed',
  elapsedMs: 1,
});

describe('panel page state', () => {
  it('keeps lanes for signals named like Object.prototype members', () => {
    const state = new PageState();
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    state.addEvents(names.map((signal) => ({ signal, at: now })));
    state.addEvents([{ signal: '__proto__', at: now }]);
    expect(state.laneNames()).toEqual(names);
    expect(names.map((name) => state.counts.get(name))).toEqual([1, 1, 2, 1, 1]);
    expect(state.lanes.get('__proto__')).toHaveLength(2);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype); // nothing leaked into a prototype
  });

  it('lists the announced signals first, in their order, then any other that sent a dot', () => {
    const state = new PageState();
    state.addEvents([{ signal: 'orderPlaced', at: now }]);
    state.signals = [
      { name: 'requestStarted', receivers: [] },
      { name: 'requestFinished', receivers: [] },
    ];
    expect(state.laneNames()).toEqual(['requestStarted', 'requestFinished', 'orderPlaced']);
  });

  it(`keeps at most ${MAX_PER_LANE} dots per lane, the newest`, () => {
    const state = new PageState();
    state.addEvents(Array.from({ length: MAX_PER_LANE + 50 }, (_, i) => ({ signal: 'tick', at: now + i })));
    const lane = state.lanes.get('tick')!;
    expect(lane).toHaveLength(MAX_PER_LANE);
    expect(lane[0].at).toBe(now + 50);
    expect(state.counts.get('tick')).toBe(MAX_PER_LANE + 50); // the count still says how many came
  });

  it('trims the dots that left the lane window, and only those', () => {
    const state = new PageState();
    state.addEvents([
      { signal: 'tick', at: now - LANE_WINDOW_MS - 1 },
      { signal: 'tick', at: now - LANE_WINDOW_MS + 1 },
      { signal: 'tick', at: now },
    ]);
    state.trimLanes(now);
    expect(state.lanes.get('tick')!.map((event) => event.at)).toEqual([now - LANE_WINDOW_MS + 1, now]);
  });

  it(`lists the latest ${RECENT_REQUESTS} finished requests, newest first`, () => {
    const state = new PageState();
    state.addEvents(Array.from({ length: RECENT_REQUESTS + 3 }, (_, i) => finish(i + 1)));
    state.addEvents([{ signal: 'requestStarted', at: now, request: 99 }]); // a start is not a finished request
    expect(state.recent.map((event) => event.request)).toEqual(
      Array.from({ length: RECENT_REQUESTS }, (_, i) => RECENT_REQUESTS + 3 - i),
    );
  });

  it('starts afresh on reset', () => {
    const state = new PageState();
    state.addEvents([finish(1)]);
    state.dropped = 4;
    state.reset(-120);
    expect([state.lanes.size, state.counts.size, state.recent.length, state.dropped, state.offset]).toEqual([
      0, 0, 0, 0, -120,
    ]);
  });
});
