import { executionAsyncResource } from 'node:async_hooks';

/** Holds the tick object (from the tick after the first call on). */
const held: object[] = [];
let requested = false;

/**
 * Keeps one `process.nextTick` tick object alive for the life of the process, so that V8 never
 * collects the hidden classes (maps) of tick objects. Called when `signalsPlugin` registers;
 * idempotent.
 *
 * Why: Node 20 builds every tick object with an object literal whose first keys are computed
 * (`{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, callback, args }`). V8 keeps the
 * feedback of such a key as one map or "megamorphic", nothing in between, and never goes back.
 * The maps are held only by live objects: after three full garbage collections with no tick
 * pending, they are collected, the next tick object gets new ones, and the literal turns
 * megamorphic for the rest of the process. Every `process.nextTick` (Node's streams call it
 * several times a request) then makes three runtime calls: about 2 µs a request, a fifth of a
 * small server's throughput, for as long as the process lives. One tick object held keeps its
 * map, and through the maps' back pointers the maps before it.
 * @internal
 */
export function keepTickObjectMaps(): void {
  if (requested) return;
  requested = true;
  process.nextTick(holdTickObject);
}

function holdTickObject(): void {
  held.push(executionAsyncResource()); // inside a tick's callback: that tick object
}
