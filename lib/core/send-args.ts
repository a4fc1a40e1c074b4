import { describeValue } from './checks';

/**
 * Built-in objects that keep their contents in internal slots, not in own keys: sent as args,
 * they would make an event with nothing in it.
 */
const SLOT_PROTOTYPES: ReadonlySet<object> = new Set<object>([
  Array.prototype,
  Map.prototype,
  Set.prototype,
  WeakMap.prototype,
  WeakSet.prototype,
  Date.prototype,
  RegExp.prototype,
  Promise.prototype,
  Error.prototype,
  Number.prototype,
  String.prototype,
  Boolean.prototype,
  ArrayBuffer.prototype,
  DataView.prototype,
  Object.getPrototypeOf(Uint8Array.prototype) as object, // every typed array
  WeakRef.prototype,
]);

/**
 * True for what a send accepts as args: nothing, a plain object, or an instance of a class
 * (its own enumerable keys are the named values). Arrays, functions, primitives and the
 * built-ins above are refused. Never throws.
 * @internal
 */
export function isSendArgs(args: unknown): boolean {
  if (args === undefined) return true;
  if (typeof args !== 'object' || args === null) return false;
  recordMap(args);
  try {
    // The common case first, cheaply: a literal `{ user }`.
    const prototype: unknown = Object.getPrototypeOf(args);
    return prototype === Object.prototype || prototype === null || isInstanceArgs(prototype);
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws, a revoked Proxy
  }
}

/**
 * Reads `args.__proto__` for V8's sake, not ours: the read makes TurboFan check the args' hidden
 * class, and knowing it, TurboFan folds the `Object.getPrototypeOf` that follows into a
 * constant. Without it, `getPrototypeOf` is a builtin call of about 140 instructions a send, a
 * third of a send to one receiver (docs/benchmarks.md). The answer stays `getPrototypeOf`'s: a
 * `__proto__` key of the args or a Proxy's `get` trap changes nothing, and a trap that throws is
 * ignored here.
 */
function recordMap(args: object): void {
  try {
    void (args as { __proto__?: unknown }).__proto__;
  } catch {
    // the check below decides
  }
}

/** True unless the prototype chain runs through a built-in that keeps its contents in slots. */
function isInstanceArgs(prototype: unknown): boolean {
  for (let link = prototype; link !== null && link !== Object.prototype; link = Object.getPrototypeOf(link)) {
    if (SLOT_PROTOTYPES.has(link as object)) return false;
  }
  return true;
}

/**
 * The TypeError for args that {@link isSendArgs} refuses.
 * @internal
 */
export function badSendArgs(signalName: string, args: unknown): TypeError {
  return new TypeError(
    `${signalName}.send(sender, args): args must be an object of named values (a plain object or a class instance), ` +
      `got ${describeValue(args)}. Wrap values in an object, e.g. send(sender, { user }).`,
  );
}
