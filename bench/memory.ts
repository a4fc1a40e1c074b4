import { filter, type Subscription } from 'rxjs';
import { Signal } from '../lib';
import { BARS, checkBar, type BarCheck } from './bars';
import { settledHeapUsed } from './heap';

/**
 * What the connect/unsubscribe churn measured.
 *
 * @example
 * const { growth, bar }: ConnectCyclesResult = await runConnectCycles(1_000_000);
 */
export interface ConnectCyclesResult {
  readonly cycles: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
  /** `heapAfter - heapBefore`, both after full garbage collection. */
  readonly growth: number;
  /** Wall time of one cycle (connect, then unsubscribe), for information. */
  readonly nsPerCycle: number;
  readonly bar: BarCheck;
}

/** Cycles run before the baseline is read, so that code, maps and caches already exist. */
const WARMUP_CYCLES = 20_000;
/** A send every so many cycles, so that connections also see traffic while they churn. */
const SEND_EVERY = 1_000;

/**
 * Connects and unsubscribes `cycles` receivers on a signal that keeps a few long-lived
 * connections, rotating through the kinds of connection: any sender, bound to a sender seen once
 * (which must not stay in the sender index), with a dispatch uid, and with a `pipe`. The heap
 * after garbage collection must not grow.
 *
 * @example
 * const { growth } = await runConnectCycles(1_000_000);
 */
export async function runConnectCycles(cycles: number): Promise<ConnectCyclesResult> {
  const signal = new Signal<{ value: number }, object>('connectCycles');
  const sender = {};
  let received = 0;
  const keep: Subscription[] = [signal.connect(() => received++), signal.connect(() => received++, { sender })];

  churn(signal, sender, WARMUP_CYCLES);
  const heapBefore = await settledHeapUsed();
  const started = process.hrtime.bigint();
  churn(signal, sender, cycles);
  const elapsedNs = Number(process.hrtime.bigint() - started);
  const heapAfter = await settledHeapUsed();

  const sends = Math.floor((WARMUP_CYCLES + cycles) / SEND_EVERY);
  const connectedAtSends = signal.receivers().length;
  for (const subscription of keep) subscription.unsubscribe();
  if (connectedAtSends !== keep.length) {
    throw new Error(`connect cycles: ${connectedAtSends} connections left after the churn, expected ${keep.length}.`);
  }
  if (received < sends * keep.length) {
    throw new Error(
      `connect cycles: the long-lived receivers heard ${received} events, expected at least ${sends * keep.length}.`,
    );
  }
  const growth = heapAfter - heapBefore;
  return {
    cycles,
    heapBefore,
    heapAfter,
    growth,
    nsPerCycle: elapsedNs / cycles,
    bar: checkBar(BARS.connectCyclesHeap, growth, `${cycles.toLocaleString('en-US')} cycles`),
  };
}

function churn(signal: Signal<{ value: number }, object>, sender: object, cycles: number): void {
  let heard = 0;
  const listener = () => heard++;
  for (let cycle = 0; cycle < cycles; cycle++) {
    let subscription: Subscription;
    switch (cycle % 4) {
      case 0:
        subscription = signal.connect(() => heard++);
        break;
      case 1:
        subscription = signal.connect(listener, { sender: { cycle } });
        break;
      case 2:
        subscription = signal.connect(listener, { dispatchUid: `cycle-${cycle}` });
        break;
      default:
        subscription = signal.connect(() => heard++, { pipe: filter(({ value }) => value >= 0) });
        break;
    }
    if (cycle % SEND_EVERY === 0) signal.send(sender, { value: cycle });
    subscription.unsubscribe();
  }
  if (heard === 0 && cycles >= SEND_EVERY * 4) throw new Error('connect cycles: the churned receivers never ran.');
}
