/**
 * A copy of `value` as it is now: plain objects and arrays are copied deeply (cycles and shared
 * parts kept as cycles and shared parts), while everything else (class instances, Maps, Dates,
 * functions, primitives) is kept as is. Later mutations of the plain data the caller still holds
 * do not show in the copy; class instances are live objects, shared on purpose (copying one
 * would lose its prototype, or fail).
 *
 * @example
 * const data = { user: { name: 'ada' }, items: [1] };
 * const copy = snapshot(data);
 * data.user.name = 'bob';  // copy.user.name is still 'ada'
 * @internal
 */
export function snapshot<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const array: unknown[] = [];
    seen.set(value, array);
    for (const item of value) array.push(copy(item, seen));
    return array;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const object: Record<string, unknown> = Object.create(proto as object | null);
  seen.set(value, object);
  for (const key of Object.keys(value)) object[key] = copy((value as Record<string, unknown>)[key], seen);
  return object;
}
