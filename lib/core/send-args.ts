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

// Read once here rather than as `Object.getPrototypeOf` and `Object.prototype` in isSendArgs:
// every send inlines that function, and its size counts against its callers' inlining budget.
const { getPrototypeOf } = Object;
const OBJECT_PROTOTYPE: object = Object.prototype;

/**
 * True for what a send accepts as args: nothing, a plain object, or an instance of a class
 * (its own enumerable keys are the named values). Arrays, functions, primitives and the
 * built-ins above are refused. Never throws.
 *
 * Called where V8 knows the args' hidden class (the compiled makers of `EventBuilder` read the
 * args' keys first), TurboFan folds the prototype read below into a constant; elsewhere
 * it is one builtin call. Why not force a hidden-class check here with a read such as
 * `args.__proto__` (rounds 4 to 7 did): that read's feedback is one for the whole process, so in
 * an app that sends args of more than four shapes it turns megamorphic and costs a send far more
 * than it saves (docs/benchmarks.md, "Sends in an app of many payload shapes").
 * @internal
 */
export function isSendArgs(args: unknown): boolean {
  if (args === undefined) return true;
  if (typeof args !== 'object' || args === null) return false;
  try {
    // The common case first, cheaply: a literal `{ user }`.
    const prototype: unknown = getPrototypeOf(args);
    return prototype === OBJECT_PROTOTYPE || prototype === null || isInstanceArgs(prototype);
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws, a revoked Proxy
  }
}

/** True unless the prototype chain runs through a built-in that keeps its contents in slots. */
function isInstanceArgs(prototype: unknown): boolean {
  for (let link = prototype; link !== null && link !== OBJECT_PROTOTYPE; link = getPrototypeOf(link)) {
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
