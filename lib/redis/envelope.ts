/**
 * The wire format of the bridge. Every message names its origin instance, that instance's
 * epoch (a random id per bridge object, so a restarted instance's sequence starts afresh) and
 * the sequence number of the event for that origin and signal, then carries the encoded args.
 *
 * Pub/Sub message: `rxs1|<origin>|<epoch>|<seq>|<s or b>\n<payload>` (`s`: the codec returned a
 * string, `b`: bytes). Stream entry: the fields `o`, `e`, `q`, `f`, `p` with the same values.
 * @internal
 */
const MAGIC = 'rxs1';
const NEWLINE = 0x0a;

/** One event as it crossed Redis. */
export interface Envelope {
  readonly origin: string;
  readonly epoch: string;
  readonly seq: number;
  readonly payload: string | Uint8Array;
}

/** The encoded args of one event, ready to send. */
export interface Encoded {
  readonly payload: string | Buffer;
  readonly format: 's' | 'b';
}

/** A message that is not the bridge's, or is damaged: the reason, for `errors$`. */
export class MalformedMessage extends Error {
  override readonly name = 'MalformedMessage';
}

/** Instance ids and epochs: they sit between separators, so they are kept to a safe alphabet. */
export const INSTANCE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The Pub/Sub message of one event. */
export function toMessage(origin: string, epoch: string, seq: number, encoded: Encoded): string | Buffer {
  const header = `${MAGIC}|${origin}|${epoch}|${seq}|${encoded.format}\n`;
  return encoded.format === 's'
    ? header + (encoded.payload as string)
    : Buffer.concat([Buffer.from(header), encoded.payload as Buffer]);
}

/** Reads a Pub/Sub message; throws {@link MalformedMessage} for anything else. */
export function fromMessage(message: Buffer): Envelope {
  const end = message.indexOf(NEWLINE);
  if (end < 0 || end > 300) throw new MalformedMessage('no rx-signals header line');
  const [magic, origin, epoch, seq, format, ...rest] = message.toString('latin1', 0, end).split('|');
  if (magic !== MAGIC || rest.length > 0) throw new MalformedMessage(`the header does not start with ${MAGIC}`);
  const body = message.subarray(end + 1);
  return checked(origin, epoch, seq, format, body);
}

/** The fields of the stream entry of one event (flattened for XADD). */
export function toFields(
  origin: string,
  epoch: string,
  seq: number,
  encoded: Encoded,
): Record<string, string | Buffer> {
  return { o: origin, e: epoch, q: String(seq), f: encoded.format, p: encoded.payload };
}

/** Reads a stream entry's fields (as Buffers); throws {@link MalformedMessage} for anything else. */
export function fromFields(fields: Record<string, Buffer> | undefined): Envelope {
  if (typeof fields !== 'object' || fields === null) throw new MalformedMessage('the entry has no fields');
  const text = (name: string): string | undefined =>
    Buffer.isBuffer(fields[name]) ? fields[name].toString('latin1') : undefined;
  const payload = fields.p;
  if (!Buffer.isBuffer(payload)) throw new MalformedMessage('the entry has no payload field "p"');
  return checked(text('o'), text('e'), text('q'), text('f'), payload);
}

function checked(
  origin: string | undefined,
  epoch: string | undefined,
  seqText: string | undefined,
  format: string | undefined,
  body: Buffer,
): Envelope {
  if (origin === undefined || !INSTANCE_ID.test(origin)) throw new MalformedMessage('no valid origin instance id');
  if (epoch === undefined || !INSTANCE_ID.test(epoch)) throw new MalformedMessage('no valid epoch');
  const seq = Number(seqText);
  if (!Number.isSafeInteger(seq) || seq < 1 || String(seq) !== seqText)
    throw new MalformedMessage('no valid sequence number');
  if (format === 's') return { origin, epoch, seq, payload: body.toString('utf8') };
  if (format === 'b')
    return { origin, epoch, seq, payload: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  throw new MalformedMessage('the payload format is neither s nor b');
}

/** Why args were not sent: the codec threw, or the payload is over the limit. */
export class NotSent extends Error {
  constructor(
    readonly kind: 'encode' | 'payload-too-large',
    readonly reason: unknown,
  ) {
    super(kind);
  }
}

/** Encodes args with the codec, refusing a result that is not a string or bytes, or is too large. */
export function encodeArgs(encode: (args: object) => unknown, args: object, maxPayloadBytes: number): Encoded {
  let payload: unknown;
  try {
    payload = encode(args);
  } catch (error) {
    throw new NotSent('encode', error);
  }
  let encoded: Encoded;
  if (typeof payload === 'string') encoded = { payload, format: 's' };
  else if (payload instanceof Uint8Array) {
    encoded = { payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), format: 'b' };
  } else {
    throw new NotSent('encode', new TypeError('codec.encode must return a string or a Uint8Array'));
  }
  // A string's UTF-8 length is at most 3 bytes per UTF-16 unit: measure only when it might be over.
  const size =
    encoded.format === 'b'
      ? encoded.payload.length
      : encoded.payload.length * 3 <= maxPayloadBytes
        ? 0
        : Buffer.byteLength(encoded.payload);
  if (size > maxPayloadBytes) {
    throw new NotSent(
      'payload-too-large',
      new RangeError(`the encoded args are ${size} bytes, over maxPayloadBytes (${maxPayloadBytes})`),
    );
  }
  return encoded;
}
