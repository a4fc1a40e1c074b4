/**
 * The wire format of the bridge. Every event names its origin instance, that instance's epoch
 * (a random id per bridge object, so a restarted instance's sequence starts afresh) and its
 * sequence number for that origin and signal, then carries the encoded args.
 *
 * Stream entry (one event): the fields `h` = `rxs1|<origin>|<epoch>|<seq>|<s or b>` and `p` =
 * the payload (`s`: the codec returned a string, `b`: bytes).
 * Pub/Sub message (consecutive events of one origin, sent in one PUBLISH):
 * `rxs1|<origin>|<epoch>|<first seq>|<s or b>|<length>,<length>,...\n<payload><payload>...`, the
 * lengths in UTF-16 units for `s` (the body is decoded as UTF-8 once), in bytes for `b`.
 * Pub/Sub "last sequence" message (an origin that went quiet says how far it got, so that a
 * loss of its last events is seen without a later event): `rxs1|<origin>|<epoch>|<last seq>|h|`.
 * @internal
 */
const MAGIC = 'rxs1';
const NEWLINE = 0x0a;
/** A header line longer than this is not ours (lengths of at most MESSAGE_EVENTS events). */
const MAX_HEADER = 16_384;

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

/** The Pub/Sub message of consecutive events of one origin (sequence numbers from `firstSeq`), all of one format. */
export function toMessage(
  origin: string,
  epoch: string,
  firstSeq: number,
  events: readonly Encoded[],
): string | Buffer {
  const format = events[0].format;
  let lengths = String(events[0].payload.length);
  for (let i = 1; i < events.length; i++) lengths += `,${events[i].payload.length}`;
  const header = `${MAGIC}|${origin}|${epoch}|${firstSeq}|${format}|${lengths}\n`;
  if (format === 's') {
    let text = header;
    for (const event of events) text += event.payload as string;
    return text;
  }
  return Buffer.concat([Buffer.from(header), ...events.map((event) => event.payload as Buffer)]);
}

/** The "last sequence" message of an origin: its events up to `lastSeq` were all sent. */
export function toLastSequence(origin: string, epoch: string, lastSeq: number): string {
  return `${MAGIC}|${origin}|${epoch}|${lastSeq}|h|\n`;
}

/** A Pub/Sub message read: its events, or (`events` null) the origin's last sequence number. */
export interface Message {
  readonly origin: string;
  readonly epoch: string;
  readonly lastSeq: number;
  readonly events: Envelope[] | null;
}

/**
 * Reads a Pub/Sub message; throws {@link MalformedMessage} for anything else. The events of a
 * message from `self` (an instance's own broadcast, which it never gets back) are not decoded.
 */
export function fromMessage(message: Buffer, self: string): Message {
  const end = message.indexOf(NEWLINE);
  if (end < 0 || end > MAX_HEADER) throw new MalformedMessage('no rx-signals header line');
  const [magic, origin, epoch, seqText, format, lengthsText, ...rest] = message.toString('latin1', 0, end).split('|');
  if (magic !== MAGIC || lengthsText === undefined || rest.length > 0)
    throw new MalformedMessage(`the header is not ${MAGIC}|origin|epoch|seq|format|lengths`);
  if (format === 'h') {
    const lastSeq = checkedHeader(origin, epoch, seqText, 's', 0);
    if (lengthsText !== '' || end + 1 !== message.length)
      throw new MalformedMessage('a last sequence carries no events');
    return { origin, epoch, lastSeq, events: null };
  }
  const first = checkedHeader(origin, epoch, seqText, format);
  if (origin === self) return { origin, epoch, lastSeq: first, events: [] };
  const lengths = lengthsText.split(',').map(Number);
  const body: string | Buffer = format === 's' ? message.toString('utf8', end + 1) : message.subarray(end + 1);
  const envelopes: Envelope[] = [];
  let at = 0;
  for (const length of lengths) {
    if (!Number.isSafeInteger(length) || length < 0) throw new MalformedMessage('the payload lengths are not numbers');
    envelopes.push({ origin, epoch, seq: first + envelopes.length, payload: payloadOf(body, at, at + length) });
    at += length;
  }
  if (at !== body.length) throw new MalformedMessage('the payload lengths do not add up to the body');
  return { origin, epoch, lastSeq: first + envelopes.length - 1, events: envelopes };
}

/** The fields of the stream entry of one event (flattened for XADD). */
export function toFields(
  origin: string,
  epoch: string,
  seq: number,
  encoded: Encoded,
): Record<string, string | Buffer> {
  return { h: `${MAGIC}|${origin}|${epoch}|${seq}|${encoded.format}`, p: encoded.payload };
}

/**
 * Reads a stream entry's fields (Buffers, or strings when read as text: JSON); throws
 * {@link MalformedMessage} for anything else.
 */
export function fromFields(fields: Record<string, Buffer | string> | undefined): Envelope {
  if (typeof fields !== 'object' || fields === null) throw new MalformedMessage('the entry has no fields');
  const { h, p } = fields;
  const isText = (value: unknown) => typeof value === 'string' || Buffer.isBuffer(value);
  if (!isText(h) || !isText(p)) throw new MalformedMessage('the entry has no fields "h" and "p"');
  const header = typeof h === 'string' ? h : h.toString('latin1');
  const [magic, origin, epoch, seqText, format, ...rest] = header.split('|');
  if (magic !== MAGIC || rest.length > 0)
    throw new MalformedMessage(`the header is not ${MAGIC}|origin|epoch|seq|format`);
  const seq = checkedHeader(origin, epoch, seqText, format);
  // Read as text, a bytes payload is no longer what was sent: the codec's decode says so.
  if (typeof p === 'string') return { origin, epoch, seq, payload: format === 's' ? p : Buffer.from(p, 'latin1') };
  return { origin, epoch, seq, payload: payloadOf(format === 's' ? p.toString('utf8') : p, 0, p.length) };
}

/** Checks a header's parts; returns its sequence number. */
function checkedHeader(
  origin: string | undefined,
  epoch: string | undefined,
  seqText: string | undefined,
  format: string | undefined,
  minSeq = 1,
): number {
  if (origin === undefined || !INSTANCE_ID.test(origin)) throw new MalformedMessage('no valid origin instance id');
  if (epoch === undefined || !INSTANCE_ID.test(epoch)) throw new MalformedMessage('no valid epoch');
  const seq = Number(seqText);
  if (!Number.isSafeInteger(seq) || seq < minSeq || String(seq) !== seqText)
    throw new MalformedMessage('no valid sequence number');
  if (format !== 's' && format !== 'b') throw new MalformedMessage('the payload format is neither s nor b');
  return seq;
}

/** One payload of a body: a string, or bytes (a view, not a copy). */
function payloadOf(body: string | Buffer, start: number, end: number): string | Uint8Array {
  if (typeof body === 'string') return start === 0 && end === body.length ? body : body.slice(start, end);
  return new Uint8Array(body.buffer, body.byteOffset + start, Math.min(end, body.length) - start);
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
