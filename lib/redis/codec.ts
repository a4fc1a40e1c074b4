import { describeValue } from '../core/checks';
import { isSendArgs } from '../core/send-args';

/**
 * How a signal's args cross Redis. Every instance must use the same codec for a signal.
 * `decode` receives what `encode` returned: the same string, or the same bytes.
 *
 * @example
 * const msgpack: Codec<OrderPlacedArgs> = {
 *   encode: (args) => pack(args),
 *   decode: (payload) => unpack(payload as Uint8Array) as OrderPlacedArgs,
 * };
 * bridge.broadcast(orderPlaced, { codec: msgpack });
 */
export interface Codec<Args extends object = object> {
  /** Turns a send's args into what crosses Redis; throws for args it cannot carry. */
  encode(args: Args): string | Uint8Array;
  /** Turns what crossed Redis back into args; throws for a payload it cannot read. */
  decode(payload: string | Uint8Array): Args;
}

/**
 * The default codec: JSON, refusing what JSON would silently change or cannot carry —
 * functions, symbols, BigInt values and cycles — with a `TypeError` naming the path, so the
 * bridge reports the event (`kind: 'encode'`) instead of sending a damaged copy. Everything else
 * crosses as `JSON.stringify` makes it (a `Date` becomes its ISO string, `undefined` members are
 * left out).
 *
 * @example
 * jsonCodec.encode({ user: 'ada', at: new Date(0) }); // '{"user":"ada","at":"1970-01-01T00:00:00.000Z"}'
 * jsonCodec.encode({ run: () => 1 });                  // throws TypeError: args.run is a function ...
 */
export const jsonCodec: Codec = {
  encode(args: object): string {
    refuseUnjsonable(args, [], []);
    return JSON.stringify(args);
  },
  decode(payload: string | Uint8Array): object {
    const text =
      typeof payload === 'string'
        ? payload
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    const args: unknown = JSON.parse(text);
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new TypeError(`the payload is JSON of ${describeValue(args)}, not an object of args`);
    }
    return args;
  },
};

/**
 * Decodes a payload with a signal's codec and checks that the result can be sent as args (a
 * plain object or a class instance); throws otherwise, for the caller to report as `decode`.
 * @internal
 */
export function decodeArgs(codec: Codec, payload: string | Uint8Array): object {
  const args: unknown = codec.decode(payload);
  if (args === undefined || !isSendArgs(args)) {
    throw new TypeError(
      `codec.decode returned ${describeValue(args)}, not an object of args (a plain object or a class instance)`,
    );
  }
  return args as object;
}

/**
 * Walks what `JSON.stringify` will walk and throws on what it would drop or choke on. A walk in
 * JavaScript costs a fraction of a `JSON.stringify` replacer, which is called back from C++ for
 * every value. Objects with a `toJSON` (a `Date`) are left to it.
 */
function refuseUnjsonable(value: unknown, keys: (string | number)[], ancestors: object[]): void {
  switch (typeof value) {
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new TypeError(`${pathOf(keys)} is ${describeValue(value)}, which JSON cannot carry`);
    case 'object': {
      if (value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') return;
      if (ancestors.includes(value)) throw new TypeError(`${pathOf(keys)} is a cycle back to an enclosing object`);
      ancestors.push(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          keys.push(i);
          refuseUnjsonable(value[i], keys, ancestors);
          keys.pop();
        }
      } else {
        for (const key in value) {
          if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
          keys.push(key);
          refuseUnjsonable((value as Record<string, unknown>)[key], keys, ancestors);
          keys.pop();
        }
      }
      ancestors.pop();
    }
  }
}

/** `args.order.items[2]` */
function pathOf(keys: readonly (string | number)[]): string {
  return keys.reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`), 'args');
}

/** Throws a TypeError unless `codec` has `encode` and `decode` functions. @internal */
export function checkCodec(where: string, codec: unknown): asserts codec is Codec {
  const ok =
    typeof codec === 'object' &&
    codec !== null &&
    typeof (codec as Codec).encode === 'function' &&
    typeof (codec as Codec).decode === 'function';
  if (!ok) {
    throw new TypeError(
      `${where}: options.codec must be an object with encode(args) and decode(payload) functions, got ${describeValue(codec)}. ` +
        'Leave it out for JSON.',
    );
  }
}
