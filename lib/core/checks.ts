/**
 * Describes a value for an error message: short, and never throws.
 *
 * @example
 * describeValue(42);          // 'the number 42'
 * describeValue(undefined);   // 'undefined'
 * describeValue({ a: 1 });    // 'an object'
 * @internal
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return value.length > 40 ? `a string ("${value.slice(0, 37)}...")` : `the string "${value}"`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `the ${typeof value} ${String(value)}`;
    case 'symbol':
      return `the symbol ${String(value)}`;
    case 'function':
      return `a function (${(value as Function).name || 'anonymous'})`;
    default:
      return Array.isArray(value) ? 'an array' : 'an object';
  }
}

/** The name of a function for logs and messages: its own name, or `<anonymous>`. @internal */
export function functionName(fn: unknown): string {
  return (typeof fn === 'function' && fn.name) || '<anonymous>';
}

/**
 * Throws a `TypeError` when `options` has keys outside `allowed`, naming them and the allowed set.
 *
 * @example
 * rejectUnknownKeys('connect()', { sneder: 1 }, ['sender', 'dispatchUid']);
 * // TypeError: connect(): unknown option "sneder". Allowed options: sender, dispatchUid.
 * @internal
 */
export function rejectUnknownKeys(where: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${where}: unknown option "${key}". Allowed options: ${allowed.join(', ')}.`);
    }
  }
}

/** Throws a `TypeError` unless `options` is undefined or a plain object. @internal */
export function requireOptionsObject(where: string, options: unknown): asserts options is object | undefined {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}.`);
  }
}

/**
 * Throws a `TypeError` unless `dispatchUid` is undefined, a string or a symbol.
 *
 * @example
 * requireDispatchUid('signal.connect()', options.dispatchUid);
 * @internal
 */
export function requireDispatchUid(where: string, dispatchUid: unknown): asserts dispatchUid is string | symbol | undefined {
  if (dispatchUid !== undefined && typeof dispatchUid !== 'string' && typeof dispatchUid !== 'symbol') {
    throw new TypeError(
      `${where}: options.dispatchUid must be a string or a symbol, got ${describeValue(dispatchUid)}. ` +
        "Use a stable name such as 'myapp.audit-login'.",
    );
  }
}

/** True for what a send accepts as args: an object, or nothing. @internal */
export function isArgsObject(args: unknown): boolean {
  return args === undefined || (typeof args === 'object' && args !== null);
}

/**
 * Throws a `TypeError` unless `args` is what a send accepts (see {@link isArgsObject}).
 *
 * @example
 * requireSendArgs('userLoggedIn.send(sender, args)', args);
 * @internal
 */
export function requireSendArgs(where: string, args: unknown): void {
  if (!isArgsObject(args)) {
    throw new TypeError(
      `${where}: args must be an object of named values, got ${describeValue(args)}. ` +
        'Wrap values in an object, e.g. send(sender, { user }).',
    );
  }
}
