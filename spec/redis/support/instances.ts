/**
 * Instances for the Redis suites: in one process, each "instance" is a bridge with its own
 * Signal objects (same names), as separate processes would have.
 */
import { Signal } from '../../../lib/core';
import {
  isRemoteSender,
  redisBridge,
  type BridgeError,
  type BridgeGap,
  type RedisBridge,
  type RedisBridgeOptions,
} from '../../../lib/redis';

export interface Numbered {
  n: number;
}

/** One received event: who sent it and its number. */
export interface Received {
  readonly origin: string;
  readonly n: number;
}

export interface Instance {
  readonly bridge: RedisBridge;
  readonly signal: Signal<Numbered>;
  /** What arrived from other instances, in order. */
  readonly received: Received[];
  readonly gaps: BridgeGap[];
  readonly errors: BridgeError[];
}

/** A bridge plus a signal named `name` whose remote events are recorded. */
export async function instance(name: string, options: RedisBridgeOptions): Promise<Instance> {
  const bridge = await redisBridge(options);
  const signal = new Signal<Numbered>(name);
  const received: Received[] = [];
  signal.connect(({ sender, n }) => {
    if (isRemoteSender(sender)) received.push({ origin: sender.instanceId, n });
  });
  const gaps: BridgeGap[] = [];
  const errors: BridgeError[] = [];
  bridge.gaps$.subscribe((gap) => gaps.push(gap));
  bridge.errors$.subscribe((error) => errors.push(error));
  return { bridge, signal, received, gaps, errors };
}

/** Loss, duplicate and order figures of what arrived from `origin`, which sent 1..`sent`. */
export function figures(received: readonly Received[], origin: string, sent: number) {
  const numbers = received.filter((r) => r.origin === origin).map((r) => r.n);
  const unique = new Set(numbers);
  let outOfOrder = 0;
  for (let i = 1; i < numbers.length; i++) if (numbers[i] < numbers[i - 1]) outOfOrder++;
  let lost = 0;
  for (let n = 1; n <= sent; n++) if (!unique.has(n)) lost++;
  return { received: numbers.length, lost, duplicated: numbers.length - unique.size, outOfOrder };
}

/** Sum of `lost` of the sequence gaps of `origin`. */
export function reportedLost(
  gaps: readonly BridgeGap[],
  origin: string,
  reason: BridgeGap['reason'] = 'sequence',
): number {
  return gaps
    .filter((gap) => gap.reason === reason && gap.origin === origin)
    .reduce((sum, gap) => sum + (gap.lost ?? 0), 0);
}

/** Resolves when `condition()` holds, polling; rejects after `timeoutMs` with `what`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps the figures of a fault test in spec/artifacts/redis-figures.json (for the notes), and
 * returns them so the test can assert on them.
 */
export function keepFigures<T extends object>(name: string, figures: T): T {
  const { mkdirSync, readFileSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  const dir = join(__dirname, '..', '..', 'artifacts');
  const file = join(dir, 'redis-figures.json');
  mkdirSync(dir, { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // first figures of the run
  }
  all[name] = figures;
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  return figures;
}
