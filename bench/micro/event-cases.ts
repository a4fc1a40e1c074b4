import { do_not_optimize } from 'mitata';
import { EventBuilder } from '../../lib/core/event-builder';
import type { MicroCase } from './cases';
import { makePayload } from './payload';

/**
 * How a send could build its event `{ ...args, signal, sender }` from the `{ request, reply }`
 * payload: core's `EventBuilder` (what `send` uses) beside the two plain spreads it replaces, so
 * that the builder's reason to exist is measured in every run (docs/benchmarks.md). Each case
 * checks once that it builds the right event.
 *
 * @example
 * eventCases().map((microCase) => microCase.id); // ['event/EventBuilder', 'event/spread after', 'event/spread before']
 */
export function eventCases(): MicroCase[] {
  const payload = makePayload();
  const signal = { name: 'benchEvent' };
  const sender = { name: 'bench-app' };
  const builder = new EventBuilder();
  const makers: Record<string, { label: string; make: () => object | null }> = {
    'event/EventBuilder': {
      label: 'event: EventBuilder (what send uses)',
      make: () => builder.event(signal, sender, payload),
    },
    'event/spread after': {
      label: 'event: { ...args, signal, sender }',
      make: () => ({ ...payload, signal, sender }),
    },
    'event/spread before': {
      label: 'event: { signal, sender, ...args }',
      make: () => ({ signal, sender, ...payload }),
    },
  };
  return Object.entries(makers).map(([id, { label, make }]): MicroCase => {
    const event = (make() ?? {}) as Record<string, unknown>; // null (refused args) has no keys
    const keys = Object.keys(event).sort().join(',');
    if (keys !== 'reply,request,sender,signal' || event.request !== payload.request || event.sender !== sender) {
      throw new Error(`bench case "${label}" built ${keys}: not the event of a send, its figure would mean nothing.`);
    }
    return { id, label, receivers: 0, expectedCalls: 0, op: () => do_not_optimize(make()), measureAllocation: true };
  });
}
