import { MAX_ORIGINS, SequenceTracker } from '../../lib/redis/sequence-tracker';

describe('SequenceTracker (per origin sequence numbers)', () => {
  it('counts a jump as that many lost, drops what it has seen, starts afresh on a new epoch', () => {
    const tracker = new SequenceTracker();
    expect(tracker.arrive('a', 'e1', 1)).toEqual({ deliver: true, lost: 0 });
    expect(tracker.arrive('a', 'e1', 4)).toEqual({ deliver: true, lost: 2 });
    expect(tracker.arrive('a', 'e1', 3)).toEqual({ deliver: false, lost: 0 });
    expect(tracker.arrive('a', 'e2', 7)).toEqual({ deliver: true, lost: 0 });
  });

  it('a last sequence counts the events that never came, and starts the count of an origin not followed yet', () => {
    const tracker = new SequenceTracker();
    expect(tracker.announce('a', 'e1', 0)).toBe(0);
    expect(tracker.arrive('a', 'e1', 3)).toEqual({ deliver: true, lost: 2 }); // 1 and 2 never came
    expect(tracker.announce('a', 'e1', 5)).toBe(2); // 4 and 5 never came
    expect(tracker.announce('a', 'e1', 5)).toBe(0); // said again: nothing new
    expect(tracker.arrive('a', 'e1', 4)).toEqual({ deliver: false, lost: 0 });
    expect(tracker.announce('b', 'e1', 40)).toBe(0);
    expect(tracker.arrive('b', 'e1', 41)).toEqual({ deliver: true, lost: 0 });
  });

  it(`follows at most ${MAX_ORIGINS} origins: the oldest followed is forgotten first`, () => {
    const tracker = new SequenceTracker();
    for (let i = 0; i <= MAX_ORIGINS; i++) tracker.arrive(`pod-${i}`, 'e', 1);
    const saved = JSON.parse(tracker.save()) as Record<string, unknown>;
    expect(Object.keys(saved)).toHaveLength(MAX_ORIGINS);
    expect(saved['pod-0']).toBeUndefined();
    expect(tracker.arrive('pod-0', 'e', 5)).toEqual({ deliver: true, lost: 0 }); // forgotten: taken as new
    expect(tracker.arrive(`pod-${MAX_ORIGINS}`, 'e', 3)).toEqual({ deliver: true, lost: 1 });
  });
});
