import { do_not_optimize } from 'mitata';
import type { MicroCase } from './cases';
import { makeListener, makePayload, type RequestPayload } from './payload';

type Listener = (payload: RequestPayload & { sender: object }) => unknown;

const NO_RESULTS: readonly never[] = Object.freeze([]);

/**
 * The least a send to nobody can be: a signal whose send checks its receiver count and returns,
 * and otherwise calls a plain loop. No args check, no observers, no event: nothing a real signal
 * could drop further.
 */
class FieldCheckSignal {
  private readonly receivers: Listener[] = [];

  connect(receiver: Listener): void {
    this.receivers.push(receiver);
  }

  send(sender: object, args: RequestPayload): readonly unknown[] {
    if (this.receivers.length === 0) return NO_RESULTS;
    return this.dispatch(sender, args);
  }

  private dispatch(sender: object, args: RequestPayload): unknown[] {
    const event = { sender, ...args };
    return this.receivers.map((receiver) => [receiver, receiver(event)]);
  }
}

/** Sends through the reference's 1- and 10-receiver closures before the 0-receiver one is timed. */
const SENDS_TO_RECEIVERS = 20_000;

/**
 * The floor of the 0-receiver bar: {@link FieldCheckSignal}'s send to nobody, timed by the same
 * harness as `rx-signals send`. Its closure has sent to receivers first, as the rx-signals
 * case's has (the same closure serves the 0-, 1- and 10-receiver cases), so V8 compiles both with
 * a dispatch path beside the check. Printed beside the bar: what any send would take on this
 * machine in this run, since an absolute bar in nanoseconds moves with the machine's speed.
 *
 * @example
 * const floor = floorCase(); // floor.id === 'floor/0'
 */
export function floorCase(): MicroCase {
  const app = { name: 'bench-app' };
  const payload = makePayload();
  const sendWith = (receivers: number) => {
    const signal = new FieldCheckSignal();
    for (let index = 0; index < receivers; index++) signal.connect(makeListener());
    return () => do_not_optimize(signal.send(app, payload));
  };
  const [op, ...withReceivers] = [0, 1, 10].map(sendWith);
  for (const send of withReceivers) for (let index = 0; index < SENDS_TO_RECEIVERS; index++) send();
  return {
    id: 'floor/0',
    label: 'reference: a send that only checks its receiver count, 0 receivers',
    receivers: 0,
    expectedCalls: 0,
    op,
    measureAllocation: true,
  };
}
