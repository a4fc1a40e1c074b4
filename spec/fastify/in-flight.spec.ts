import type { FastifyReply, FastifyRequest } from 'fastify';
import { InFlightRequests } from '../../lib/fastify/in-flight';
import { RequestState } from '../../lib/fastify/request-state';

// The list only links states: their request and reply are never read here.
const makeState = () => new RequestState({} as FastifyRequest, {} as FastifyReply, 0);

describe('InFlightRequests, the requests an app follows and has not finished', () => {
  it('keeps every added state until it is deleted, newest first, whatever the order of deletion', () => {
    const inFlight = new InFlightRequests();
    const [first, second, third, fourth] = [makeState(), makeState(), makeState(), makeState()];
    for (const state of [first, second, third, fourth]) inFlight.add(state);
    expect(inFlight.toArray()).toEqual([fourth, third, second, first]);

    inFlight.delete(third); // from the middle
    expect(inFlight.toArray()).toEqual([fourth, second, first]);
    inFlight.delete(fourth); // the head
    inFlight.delete(first); // the tail
    expect(inFlight.toArray()).toEqual([second]);
    expect(inFlight.size).toBe(1);

    inFlight.delete(second);
    expect(inFlight.toArray()).toEqual([]);
    expect(inFlight.size).toBe(0);
  });

  it('ignores a state deleted twice or never added, so that it cannot cut the list', () => {
    const inFlight = new InFlightRequests();
    const [kept, finished, stranger] = [makeState(), makeState(), makeState()];
    inFlight.add(kept);
    inFlight.add(finished);

    inFlight.delete(finished);
    inFlight.delete(finished);
    inFlight.delete(stranger);
    expect(inFlight.toArray()).toEqual([kept]);
    expect(inFlight.size).toBe(1);
  });

  it('lets a walk over toArray() delete what it walks (app.close() finishes requests as it goes)', () => {
    const inFlight = new InFlightRequests();
    const states = [makeState(), makeState(), makeState()];
    for (const state of states) inFlight.add(state);

    for (const state of inFlight.toArray()) inFlight.delete(state);
    expect(inFlight.size).toBe(0);
    // A deleted state holds no link: a finished request keeps no other one alive.
    expect(states.every((state) => state.previousInFlight === null && state.nextInFlight === null)).toBe(true);
  });
});
