import type { Signal } from './signal';

/** Every Signal made, in creation order, held weakly; dead entries are dropped now and then. */
let made: WeakRef<Signal<object, unknown>>[] = [];
/** `made` is compacted when it reaches this length: amortised O(1) per signal made. */
let compactAt = 64;

/** Called by the Signal constructor. @internal */
export function rememberSignal(signal: Signal<object, unknown>): void {
  if (made.length >= compactAt) {
    made = made.filter((ref) => ref.deref() !== undefined);
    compactAt = Math.max(64, made.length * 2);
  }
  made.push(new WeakRef(signal));
}

/**
 * Every live `Signal` of the process, in creation order, whether made by `new Signal` or by
 * `namedSignal`: built-in ones, yours, and the libraries'. They are held weakly: a signal nothing
 * else references drops out of the list once garbage-collected. Typed loosely (any args, any
 * sender): compare with your own signals (`===`) to get their types back. The panel lists these.
 *
 * @example
 * for (const signal of listSignals()) console.log(signal.name, signal.receivers().length);
 */
export function listSignals(): Signal<object, unknown>[] {
  const live: Signal<object, unknown>[] = [];
  for (const ref of made) {
    const signal = ref.deref();
    if (signal !== undefined) live.push(signal);
  }
  return live;
}
