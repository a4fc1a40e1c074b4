import type { Signal, SignalArgs } from '../core/signal';
import { decodeArgs, type Codec } from './codec';
import { withBuffers, type BridgeRedisClient } from './connection';
import { compareIds, keys, pause, type BridgeContext } from './context';
import { fromFields, fromMessage, toFields, toLastSequence, toMessage, type Envelope, type Message } from './envelope';
import type { LocalTap } from './local-tap';
import type { Route } from './publisher';
import { SequenceTracker } from './sequence-tracker';

/** Entries one durable read takes at most. */
const READ_COUNT = 512;
/** Events one Pub/Sub message carries at most (the events a turn sent, in one PUBLISH). */
const MESSAGE_EVENTS = 256;
/**
 * An instance says how far its sequence got ("last sequence") at start and about a second after
 * it went quiet, so that subscribers see the loss of its last events without a later event;
 * then again after 2, 4, 8, ... up to 64 s while it stays quiet (a subscriber that was away for
 * the first one hears a later one). At most one small message a second per signal, and nearly
 * none from quiet instances.
 */
const LAST_SEQUENCE_MS = 1_000;
const LAST_SEQUENCE_MAX_MS = 64_000;
/** How long a durable read blocks; reads loop, so this only bounds how late a stop is noticed. */
const BLOCK_MS = 2_000;

/**
 * One broadcast signal: local sends go out on a Pub/Sub channel (or, durable, on a capped
 * stream), and what other instances sent arrives here and is sent locally with their
 * RemoteSender. Per origin, sequence numbers reveal lost events (`sequence` gaps) and drop
 * duplicates.
 * @internal
 */
export class Broadcast {
  readonly route: Route;
  private readonly tracker = new SequenceTracker();
  private readonly name: string;
  private readonly key: string;
  private stopped = false;
  /** The stream may have been trimmed past this reader's position (see checkTrimmed). */
  private trimSuspected = false;
  private reader: BridgeRedisClient | null = null;
  /** The sequence number last announced (-1: not yet), when, the wait before repeating it, and the timer. */
  private announced = -1;
  private announcedAt = 0;
  private repeatMs = LAST_SEQUENCE_MS;
  private announcer: NodeJS.Timeout | null = null;
  private readonly listener = (message: Buffer) => this.receiveMessage(message);

  constructor(
    private readonly ctx: BridgeContext,
    signal: Signal<SignalArgs, unknown>,
    private readonly tap: LocalTap,
    private readonly subscriber: BridgeRedisClient,
    private readonly options: { codec: Codec; durable: boolean; maxLen: number; maxPayloadBytes: number },
  ) {
    this.name = signal.name;
    const { namespace, instanceId, epoch, client } = ctx;
    this.key = options.durable ? keys.durable(namespace, this.name) : keys.channel(namespace, this.name);
    const key = this.key;
    const trim = { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: options.maxLen } } as const;
    this.route = {
      signalName: this.name,
      encode: (args) => options.codec.encode(args),
      maxPayloadBytes: options.maxPayloadBytes,
      seq: 0,
      dropped: 0,
      perCommand: options.durable ? 1 : MESSAGE_EVENTS,
      send: options.durable
        ? ([encoded], seq) => client.xAdd(key, '*', toFields(instanceId, epoch, seq, encoded), trim)
        : (events, firstSeq) => client.publish(key, toMessage(instanceId, epoch, firstSeq, events)),
    };
  }

  /** Starts listening; resolves once it does. */
  async start(): Promise<void> {
    if (!this.options.durable) {
      await this.subscriber.subscribe(this.key, this.listener, true);
      this.announce();
      this.announcer = setInterval(() => this.announce(), LAST_SEQUENCE_MS).unref();
      return;
    }
    this.reader = await this.ctx.connection(`durable reader of ${this.name}`);
    const position = await this.startPosition();
    void this.readLoop(this.reader, position);
  }

  stop(): void {
    this.stopped = true;
    if (this.announcer !== null) clearInterval(this.announcer);
    if (!this.options.durable) this.subscriber.unsubscribe(this.key, this.listener, true).catch(() => {});
  }

  /** The Pub/Sub connection came back: whatever was published meanwhile is gone. */
  reconnected(): void {
    if (!this.options.durable && !this.stopped) this.ctx.reports.gap({ reason: 'reconnect', signal: this.name });
  }

  /**
   * Publishes this instance's last sequence number when it changed and everything up to it went
   * out (the outbox is idle: a later event still queued would arrive after it and look lost).
   */
  private announce(): void {
    const { publisher, client, instanceId, epoch } = this.ctx;
    const seq = this.route.seq;
    if (this.stopped || this.ctx.closing || !publisher.idle()) return;
    const now = Date.now();
    if (seq !== this.announced) this.repeatMs = LAST_SEQUENCE_MS;
    else if (now - this.announcedAt < this.repeatMs) return;
    else this.repeatMs = Math.min(this.repeatMs * 2, LAST_SEQUENCE_MAX_MS);
    this.announced = seq;
    this.announcedAt = now;
    client.publish(this.key, toLastSequence(instanceId, epoch, seq)).catch(() => {}); // Redis away: said again later
  }

  private receiveMessage(buffer: Buffer): void {
    let message: Message;
    try {
      message = fromMessage(buffer, this.ctx.instanceId);
    } catch (error) {
      this.ctx.reports.error({ kind: 'malformed', signal: this.name, error });
      return;
    }
    const { origin, epoch, lastSeq, events } = message;
    if (events !== null) {
      for (const envelope of events) this.arrive(envelope, `${envelope.epoch}-${envelope.seq}`);
      return;
    }
    if (origin === this.ctx.instanceId || this.stopped) return;
    const lost = this.tracker.announce(origin, epoch, lastSeq);
    if (lost > 0) this.ctx.reports.gap({ reason: 'sequence', signal: this.name, origin, lost });
  }

  private arrive(envelope: Envelope, id: string): void {
    const { origin, epoch, seq, payload } = envelope;
    if (origin === this.ctx.instanceId || this.stopped) return;
    const arrival = this.tracker.arrive(origin, epoch, seq);
    if (!arrival.deliver) return;
    if (arrival.lost > 0) {
      if (this.trimSuspected) this.ctx.reports.gap({ reason: 'trimmed', signal: this.name });
      this.trimSuspected = false;
      this.ctx.reports.gap({ reason: 'sequence', signal: this.name, origin, lost: arrival.lost });
    }
    try {
      const args = decodeArgs(this.options.codec, payload);
      // A robust send throws only while reading its args into the event (a getter, a Proxy's trap).
      this.tap.sendArrived(this.ctx.remotes.of(origin), args, { id, origin, attempt: 1 });
    } catch (error) {
      this.ctx.reports.error({ kind: 'decode', signal: this.name, origin, error });
    }
  }

  /** Where a durable reader starts: its last position of a previous run (same instanceId), or the stream's end. */
  private async startPosition(): Promise<string> {
    const { client, namespace, instanceId, stableId } = this.ctx;
    if (stableId) {
      const [saved, sequences] = await client.hmGet(keys.positions(namespace, instanceId), [
        this.name,
        `${this.name}#seq`,
      ]);
      this.tracker.restore(sequences);
      if (typeof saved === 'string' && /^\d+-\d+$/.test(saved)) {
        await this.checkTrimmed(saved);
        return saved;
      }
    }
    const last = await client.xRevRange(this.key, '+', '-', { COUNT: 1 });
    return last[0]?.id ?? '0-0';
  }

  /**
   * Notes whether the stream's first entry is past `position`: entries this instance had not
   * read may have been trimmed. The sequence gaps that follow in the next read tell (trimming
   * leaves no count behind: `max-deleted-entry-id` only follows XDEL), and the first of them
   * is reported as `trimmed` as well.
   */
  private async checkTrimmed(position: string): Promise<void> {
    const first = await this.ctx.client.xRange(this.key, '-', '+', { COUNT: 1 });
    this.trimSuspected = first.length > 0 && position !== '0-0' && compareIds(first[0].id, position) > 0;
  }

  private async readLoop(reader: BridgeRedisClient, from: string): Promise<void> {
    const buffers = withBuffers(reader);
    let position = from;
    let reconnected = false;
    reader.on('ready', () => {
      reconnected = true;
    });
    while (!this.stopped && !this.ctx.closing) {
      try {
        if (reconnected) {
          reconnected = false;
          await this.checkTrimmed(position);
        }
        const reply = await buffers.xRead({ key: this.key, id: position }, { COUNT: READ_COUNT, BLOCK: BLOCK_MS });
        const entries = reply?.[0]?.messages ?? [];
        for (const entry of entries) {
          position = String(entry.id);
          this.receiveEntry(position, entry.message as Record<string, Buffer>);
        }
        if (entries.length > 0 && this.ctx.stableId) this.savePosition(position);
        if (entries.length === READ_COUNT) await this.checkTrimmed(position);
        else this.trimSuspected = false;
      } catch {
        if (this.stopped || this.ctx.closing) return;
        await pause(100); // the connection reports its errors; it reconnects by itself
      }
    }
  }

  private receiveEntry(id: string, fields: Record<string, Buffer>): void {
    let envelope: Envelope;
    try {
      envelope = fromFields(fields);
    } catch (error) {
      this.ctx.reports.error({ kind: 'malformed', signal: this.name, error });
      return;
    }
    this.arrive(envelope, id);
  }

  private savePosition(position: string): void {
    const { client, namespace, instanceId } = this.ctx;
    client
      .hSet(keys.positions(namespace, instanceId), { [this.name]: position, [`${this.name}#seq`]: this.tracker.save() })
      .catch(() => {});
  }
}
