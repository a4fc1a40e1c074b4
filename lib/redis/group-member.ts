import type { Signal, SignalArgs, SignalEvent } from '../core/signal';
// Over 300 lines: one member's life cycle (read, handle, ack, retry, renew, reclaim, dead-letter)
// shares its held entries and timers; split, those would have to be passed around.
import { EventBuilder } from '../core/event-builder';
import { readThen, UnreadableThen } from '../core/is-thenable';
import { decodeArgs, jsonCodec, type Codec } from './codec';
import { withBuffers, type BridgeRedisClient } from './connection';
import { keys, pause, type BridgeContext } from './context';
import { fromFields, type Envelope } from './envelope';
import type { RemoteSender } from './remote-sender';
import { messageOf, safeText } from './reports';

/** Entries one read takes at most. */
const READ_COUNT = 256;
/** How long a read blocks; reads loop, so this only bounds how late a stop is noticed. */
const BLOCK_MS = 2_000;
/** Dead letter streams keep about this many entries. */
const DEAD_MAX_LEN = 10_000;

/**
 * A group member's receiver: it gets the event with the origin's RemoteSender as sender.
 *
 * @example
 * const fulfil: GroupReceiver<{ orderId: string }> = ({ orderId, sender }) => ship(orderId, sender.instanceId);
 * bridge.connect(orderPlaced, fulfil, { group: 'fulfilment' });
 */
export type GroupReceiver<Args extends SignalArgs> = (event: SignalEvent<Args, RemoteSender>) => unknown;

/** One stream entry as read. */
interface Entry {
  readonly id: string;
  readonly fields: Record<string, Buffer | string>;
}

/**
 * One receiver's membership of a consumer group on a signal's stream. It reads new entries
 * (XREADGROUP), calls the receiver one entry at a time, acks after the receiver settled, retries
 * failures after `retryDelayMs` (recording the attempt in Redis's delivery counter), renews the
 * entries it holds so that no one reclaims them while it works, reclaims (XAUTOCLAIM) entries
 * idle longer than `claimIdleMs` on members that stopped renewing, and moves an entry to the
 * dead letter stream after `maxAttempts`. A group lost by a Redis restart is created again and
 * reported (`group-lost`).
 * @internal
 */
export class GroupMember<Args extends SignalArgs> {
  private readonly key: string;
  private readonly name: string;
  private stopped = false;
  /** Entries this member holds: being handled, or waiting for their retry. */
  private readonly held = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private acks: string[] = [];
  /** Builds events as core's sends do (a spread there takes V8's slow path: most of a delivery's cost). */
  private readonly events = new EventBuilder();
  private reader: BridgeRedisClient | null = null;

  constructor(
    private readonly ctx: BridgeContext,
    private readonly signal: Signal<Args, unknown>,
    private readonly receiver: GroupReceiver<Args>,
    private readonly consumer: string,
    private readonly codec: Codec,
    private readonly options: { group: string; maxAttempts: number; claimIdleMs: number; retryDelayMs: number },
  ) {
    this.name = signal.name;
    this.key = keys.stream(ctx.namespace, signal.name);
  }

  /** Joins the group (made at the stream's end if new: it gets the entries added from now on). */
  async start(): Promise<void> {
    await this.createGroup('$');
    this.reader = await this.ctx.connection(`group ${this.options.group} of ${this.name}`);
    const every = (ms: number, task: () => Promise<void>) => {
      const timer = setInterval(() => void task().catch(() => {}), Math.max(ms, 1));
      timer.unref();
      this.timers.add(timer);
    };
    every(this.options.claimIdleMs / 3, () => this.renew());
    every(this.options.claimIdleMs / 2, () => this.reclaim());
    void this.readLoop(this.reader);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private get client(): BridgeRedisClient {
    return this.ctx.client;
  }

  private get ended(): boolean {
    return this.stopped || this.ctx.closing;
  }

  /** Creates the group; true when it did not exist. */
  private async createGroup(from: '$' | '0'): Promise<boolean> {
    try {
      await this.client.xGroupCreate(this.key, this.options.group, from, { MKSTREAM: true });
      return true;
    } catch (error) {
      if (messageOf(error)?.startsWith('BUSYGROUP')) return false;
      throw error;
    }
  }

  private async readLoop(reader: BridgeRedisClient): Promise<void> {
    // JSON payloads are text: string replies spare a Buffer and a decode per field and entry.
    const buffers = this.codec === jsonCodec ? reader : withBuffers(reader);
    // First what this consumer still held from a previous run (same instanceId), then new entries.
    let history: string | null = '0';
    while (!this.ended) {
      try {
        const reply = await buffers.xReadGroup(
          this.options.group,
          this.consumer,
          { key: this.key, id: history ?? '>' },
          history === null ? { COUNT: READ_COUNT, BLOCK: BLOCK_MS } : { COUNT: READ_COUNT },
        );
        const entries: Entry[] = (reply?.[0]?.messages ?? []).map((m) => ({
          id: String(m.id),
          fields: m.message as Record<string, Buffer | string>,
        }));
        const attempts = history === null ? null : await this.attempts(entries);
        history = history === null || entries.length < READ_COUNT ? null : entries[entries.length - 1].id;
        for (const entry of entries) {
          if (this.ended) return;
          if (attempts !== null && this.held.has(entry.id)) continue;
          const handling = this.handle(entry, attempts?.get(entry.id) ?? 1);
          if (handling !== undefined) await handling;
        }
      } catch (error) {
        if (this.ended) return;
        if (messageOf(error)?.startsWith('NOGROUP')) await this.recreate();
        else await pause(100); // the connection reports its errors; it reconnects by itself
      }
    }
  }

  /** Redis lost the group (a restart without persistence): make it again from the stream's start. */
  private async recreate(): Promise<void> {
    try {
      await this.createGroup('0');
      this.ctx.reports.gap({ reason: 'group-lost', signal: this.name, group: this.options.group });
    } catch {
      await pause(100);
    }
  }

  /** Redis's delivery counters of `entries` (pending on this group): the attempt each is at. */
  private async attempts(entries: readonly Entry[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (entries.length === 0) return counts;
    const first = entries[0].id;
    const last = entries[entries.length - 1].id;
    const pending = await this.client.xPendingRange(this.key, this.options.group, first, last, entries.length * 2, {
      consumer: this.consumer,
    });
    for (const { id, deliveriesCounter } of pending) counts.set(id, deliveriesCounter);
    return counts;
  }

  /**
   * Calls the receiver for one entry; acks, retries or dead-letters it. Never throws. Returns a
   * promise only when there is something to wait for (an async receiver, a dead letter), so a
   * batch of synchronous receivers runs without a turn per entry.
   */
  private handle(entry: Entry, attempt: number, lastError?: unknown): Promise<void> | void {
    let envelope: Envelope;
    try {
      envelope = fromFields(entry.fields);
    } catch (error) {
      this.ctx.reports.error({ kind: 'malformed', signal: this.name, id: entry.id, group: this.options.group, error });
      return this.deadLetter(entry, undefined, attempt, error, false);
    }
    if (attempt > this.options.maxAttempts) return this.deadLetter(entry, envelope, attempt - 1, lastError);
    let event: SignalEvent<Args, RemoteSender>;
    try {
      const args = decodeArgs(this.codec, envelope.payload);
      // Checked args always make an event; reading them can still throw (a Proxy's traps).
      event = this.events.event(this.signal, this.ctx.remotes.of(envelope.origin), args) as SignalEvent<
        Args,
        RemoteSender
      >;
    } catch (error) {
      this.ctx.reports.error({
        kind: 'decode',
        signal: this.name,
        origin: envelope.origin,
        id: entry.id,
        group: this.options.group,
        error,
      });
      return this.deadLetter(entry, envelope, attempt, error, false);
    }
    this.ctx.deliveries.set(event, { id: entry.id, origin: envelope.origin, attempt });
    this.held.add(entry.id);
    try {
      const response = this.receiver(event);
      // `then` read once, never thrown out of here: one that cannot be read fails, as `await` would.
      const then = readThen(response);
      if (then instanceof UnreadableThen) return this.failed(entry, envelope, attempt, then.error);
      if (then !== undefined) {
        return this.settle(
          entry,
          envelope,
          attempt,
          new Promise((resolve, reject) => then.call(response, resolve, reject)),
        );
      }
    } catch (error) {
      return this.failed(entry, envelope, attempt, error);
    }
    this.held.delete(entry.id);
    this.ack(entry.id);
  }

  private async settle(
    entry: Entry,
    envelope: Envelope,
    attempt: number,
    response: PromiseLike<unknown>,
  ): Promise<void> {
    try {
      await response;
    } catch (error) {
      return this.failed(entry, envelope, attempt, error);
    }
    this.held.delete(entry.id);
    this.ack(entry.id);
  }

  private failed(entry: Entry, envelope: Envelope, attempt: number, error: unknown): Promise<void> | void {
    if (attempt < this.options.maxAttempts) return this.retryLater(entry, attempt + 1, error);
    this.held.delete(entry.id);
    return this.deadLetter(entry, envelope, attempt, error);
  }

  /** Acks after the receiver settled; the acks of one turn go in one XACK. */
  private ack(id: string): void {
    this.acks.push(id);
    if (this.acks.length > 1) return;
    setImmediate(() => {
      const ids = this.acks;
      this.acks = [];
      this.client.xAck(this.key, this.options.group, ids).catch(() => {}); // unacked: reclaimed later, at least once
    });
  }

  private retryLater(entry: Entry, attempt: number, error: unknown): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.ended) return;
      // Record the attempt in Redis (a member reclaiming it later counts on from there), and
      // take the entry back unless it was acked or trimmed meanwhile.
      this.client
        .sendCommand([
          'XCLAIM',
          this.key,
          this.options.group,
          this.consumer,
          '0',
          entry.id,
          'RETRYCOUNT',
          String(attempt),
          'JUSTID',
        ])
        .then((claimed) => {
          if (Array.isArray(claimed) && claimed.length > 0) return this.handle(entry, attempt, error) ?? undefined;
          this.held.delete(entry.id);
        })
        .catch(() => this.retryLater(entry, attempt, error));
    }, this.options.retryDelayMs);
    this.timers.add(timer);
  }

  /** Keeps the entries this member holds from looking idle to the others (no attempt counted). */
  private async renew(): Promise<void> {
    if (this.held.size === 0 || this.ended) return;
    await this.client.sendCommand(['XCLAIM', this.key, this.options.group, this.consumer, '0', ...this.held, 'JUSTID']);
  }

  /** Takes over entries idle longer than `claimIdleMs` on members that stopped renewing them. */
  private async reclaim(): Promise<void> {
    if (this.ended) return;
    const { messages, deletedMessages } = await withBuffers(this.client).xAutoClaim(
      this.key,
      this.options.group,
      this.consumer,
      this.options.claimIdleMs,
      '0-0',
      { COUNT: READ_COUNT },
    );
    if (deletedMessages.length > 0) {
      this.ctx.reports.gap({
        reason: 'trimmed',
        signal: this.name,
        group: this.options.group,
        lost: deletedMessages.length,
      });
    }
    const entries: Entry[] = messages
      .filter((m): m is NonNullable<typeof m> => m !== null)
      .map((m) => ({ id: String(m.id), fields: m.message as Record<string, Buffer> }))
      .filter((entry) => !this.held.has(entry.id));
    const attempts = await this.attempts(entries);
    for (const entry of entries) {
      if (this.ended) return;
      const handling = this.handle(entry, attempts.get(entry.id) ?? 2);
      if (handling !== undefined) await handling;
    }
  }

  /** Moves an entry to `${namespace}:dead:${signal}` and acks it; reported as a dead letter. */
  private async deadLetter(
    entry: Entry,
    envelope: Envelope | undefined,
    attempts: number,
    error: unknown,
    report = true,
  ): Promise<void> {
    if (report) {
      this.ctx.reports.error({
        kind: 'dead-letter',
        signal: this.name,
        origin: envelope?.origin,
        id: entry.id,
        group: this.options.group,
        attempts,
        error,
      });
    }
    try {
      await this.client.xAdd(
        keys.dead(this.ctx.namespace, this.name),
        '*',
        {
          ...entry.fields,
          id: entry.id,
          group: this.options.group,
          attempts: String(attempts),
          error: safeText(error),
        },
        { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: DEAD_MAX_LEN } },
      );
      await this.client.xAck(this.key, this.options.group, entry.id);
    } catch (failure) {
      this.ctx.reports.error({
        kind: 'redis',
        signal: this.name,
        id: entry.id,
        group: this.options.group,
        error: failure,
      });
    }
  }
}
