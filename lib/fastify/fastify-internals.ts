import type { FastifyInstance } from 'fastify';

/**
 * One of Fastify's internal symbols, found by its description on `app` or its prototypes.
 * Fastify does not export them, and has no public way to reach a context's `Reply` prototype,
 * its child contexts or its hook lists; `spec/fastify/fastify-internals.spec.ts` pins the ones
 * used against the installed Fastify, so an upgrade that renames them fails loudly.
 *
 * @example
 * const replySymbol = fastifySymbol(app, 'fastify.Reply');
 * @internal
 */
export function fastifySymbol(app: object, description: string): symbol | undefined {
  for (let object: object | null = app; object !== null; object = Object.getPrototypeOf(object)) {
    const found = Object.getOwnPropertySymbols(object).find((symbol) => symbol.description === description);
    if (found) return found;
  }
  return undefined;
}

/** A callback-style `onReady` hook. */
type ReadyHook = (this: FastifyInstance, done: (error?: Error) => void) => void;

/**
 * Adds `hook` as the first `onReady` hook of the whole app (its root instance), or as a plain
 * `onReady` hook when Fastify's hook lists cannot be reached.
 *
 * Why first: when an `onReady` hook never calls back, Fastify's timeout error names the last
 * hook it queued, not the stuck one. A hook of ours added at `register` time is often that last
 * one, and the user's error would then name it; first, it is never named unless it is alone
 * (and then it is the stuck one).
 *
 * @example
 * addFirstReadyHook(app, function instrumentViewRenders(done) { instrument(); done(); });
 * @internal
 */
export function addFirstReadyHook(app: FastifyInstance, hook: ReadyHook): void {
  const readyHooks = rootReadyHooks(app);
  if (readyHooks === undefined) app.addHook('onReady', hook);
  else readyHooks.unshift(hook);
}

/** The root instance's list of `onReady` hooks (children own a list each; the root's run first). */
function rootReadyHooks(app: FastifyInstance): ReadyHook[] | undefined {
  const hooksSymbol = fastifySymbol(app, 'fastify.hooks');
  if (hooksSymbol === undefined) return undefined;
  let root: object | undefined;
  for (let object: object | null = app; object !== null; object = Object.getPrototypeOf(object)) {
    if (Object.hasOwn(object, hooksSymbol)) root = object;
  }
  const onReady = (root as Record<symbol, { onReady?: unknown } | undefined> | undefined)?.[hooksSymbol]?.onReady;
  return Array.isArray(onReady) ? (onReady as ReadyHook[]) : undefined;
}
