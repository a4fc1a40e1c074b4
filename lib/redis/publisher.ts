import { Outbox } from './outbox';
import { encodeArgs, NotSent, type Encoded } from './envelope';
import type { Reports } from './reports';

/** Where the events of one bridged signal go (a Pub/Sub channel or a stream), and how. @internal */
export interface Route {
  readonly signalName: string;
  readonly encode: (args: object) => unknown;
  readonly maxPayloadBytes: number;
  /** The sequence number of the last event encoded for this route. */
  seq: number;
  /** Events of this route the outbox dropped since the last report (a field: a full outbox drops at every send). */
  dropped: number;
  /** How many events one command carries at most: 1 for a stream (an entry each), more for Pub/Sub. */
  readonly perCommand: number;
  /** Sends consecutive events (sequence numbers from `firstSeq`, one format) in one command; settles with Redis's reply. */
  send(events: readonly Encoded[], firstSeq: number): Promise<unknown>;
}

/** A local send whose args are encoded, waiting in the outbox or in flight. */
class Pending {
  constructor(
    readonly route: Route,
    readonly encoded: Encoded,
    readonly seq: number,
  ) {}
}

/** In the outbox in place of a send whose args could not be encoded (reported): skipped. */
const REFUSED: object = Object.freeze({ refused: true });

/** What the outbox holds for a route: the event until the next microtask encodes it, then a {@link Pending} or {@link REFUSED}. */
type Queued = object;

/** How many events one round trip carries at most (node-redis pipelines them into few writes). */
const BATCH = 8192;
/** How many sends are staged at most before they are moved into the outbox (see `staged`). */
const STAGED_SENDS = 1024;
const RESOLVED = Promise.resolve();
/** A command carrying many events carries about this many payload bytes (UTF-16 units) at most. */
const COMMAND_BYTES = 64 * 1024;
/** How often dropped events are reported (as one gap per signal with the count). */
const DROP_REPORT_MS = 100;

/**
 * The bridge's bounded outbox and the one loop that empties it. A local send only pushes its
 * event (`enqueue`, no await, never a throw); a microtask encodes what was queued, and one batch
 * at a time goes to Redis, so a slow or paused Redis fills the outbox instead of memory, and
 * the oldest events are dropped beyond `outboxSize` (reported as `outbox-overflow`). A batch
 * that fails because the connection failed is put back in front and retried: receivers drop
 * the duplicates a retry may make by sequence number.
 * @internal
 */
export class Publisher {
  private readonly outbox: Outbox<Route, Queued>;
  /**
   * The sends since the last microtask, as `route, event, route, event, ...` up to `stagedLength`,
   * moved into the outbox by {@link unstage}. Why not straight into the outbox: two stores by
   * index into one preallocated array are the cheapest a send can make; the ring's bookkeeping
   * waits for the microtask (a relayed send cost 1.45 × a send without relay with the ring,
   * 1.33 × with this, and 1.50 × with an array grown by `push`: docs/benchmarks.md).
   */
  private readonly staged: (Route | object | undefined)[];
  private stagedLength = 0;
  /** Items moved into the outbox since the last encode: the newest `unencoded` of the outbox. */
  private unencoded = 0;
  private scheduled = false;
  private inFlight: Pending[] | null = null;
  private retryDelay = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  /** The routes with drops not reported yet. */
  private readonly dropping: Route[] = [];
  private dropTimer: NodeJS.Timeout | null = null;
  private drained: (() => void) | null = null;

  constructor(
    capacity: number,
    private readonly instanceId: string,
    private readonly reports: Reports,
  ) {
    this.outbox = new Outbox<Route, Queued>(capacity, (route, queued) => this.drop(route, queued));
    this.staged = new Array(2 * Math.min(capacity, STAGED_SENDS)).fill(undefined);
  }

  /** Queues a local event for `route`. Called on the sender's stack: it must never throw. */
  enqueue(route: Route, event: object): void {
    const at = this.stagedLength;
    this.staged[at] = route;
    this.staged[at + 1] = event;
    this.stagedLength = at + 2;
    // A long synchronous burst is moved when the stage is full: the outbox bounds what is kept.
    if (at + 2 === this.staged.length) this.unstage();
    if (!this.scheduled) {
      this.scheduled = true;
      void RESOLVED.then(this.flushSoon); // a native microtask: queueMicrotask makes an AsyncResource each time
    }
  }

  private readonly flushSoon = (): void => this.flush();

  /** Moves the staged sends into the outbox, in order; beyond its capacity the oldest are dropped. */
  private unstage(): void {
    const length = this.stagedLength;
    if (length === 0) return;
    const staged = this.staged;
    this.stagedLength = 0;
    for (let i = 0; i < length; i += 2) this.outbox.push(staged[i] as Route, staged[i + 1]!);
    staged.fill(undefined, 0, length); // the events are the outbox's now
    this.unencoded += length / 2;
  }

  /** Resolves once everything queued went to Redis (or was reported lost). */
  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  /** Gives up on what is still queued or in flight: each is reported lost. */
  abandon(): void {
    this.unstage();
    for (const item of this.inFlight ?? []) this.drop(item.route, item);
    this.outbox.drain((route, queued) => this.drop(route, queued));
    this.inFlight = null;
    this.unencoded = 0;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.reportDrops();
    this.drained?.();
  }

  /** Nothing queued, nothing in flight: every event encoded so far went to Redis or was reported lost. */
  idle(): boolean {
    return this.outbox.size === 0 && this.stagedLength === 0 && this.inFlight === null;
  }

  private flush(): void {
    this.scheduled = false;
    this.unstage();
    this.encodeQueued();
    if (this.inFlight !== null || this.retryTimer !== null || this.outbox.size === 0) {
      if (this.idle()) this.drained?.();
      return;
    }
    const batch = this.outbox.take(BATCH).filter((queued) => queued instanceof Pending);
    if (batch.length === 0) return this.flush();
    this.inFlight = batch;
    const commands = commandsOf(batch);
    // One callback per command and a countdown: no async function or Promise.all per event.
    const failures: unknown[] = new Array(batch.length).fill(null);
    let pending = commands.length;
    const settled = () => {
      if (--pending === 0) this.settle(batch, failures);
    };
    for (const command of commands) {
      const first = batch[command[0]];
      let sent: Promise<unknown>;
      try {
        sent = first.route.send(
          command.map((index) => batch[index].encoded),
          first.seq,
        );
      } catch (error) {
        sent = Promise.reject(error);
      }
      sent.then(settled, (error: unknown) => {
        const failure = this.failure(first, error);
        for (const index of command) failures[index] = failure;
        settled();
      });
    }
  }

  /** Encodes the items queued since the last flush, in order; those that cannot go are reported and marked. */
  private encodeQueued(): void {
    const fresh = Math.min(this.unencoded, this.outbox.size);
    this.unencoded = 0;
    this.outbox.replaceNewest(fresh, (route, event) => {
      try {
        const encoded = encodeArgs(route.encode, argsOf(event), route.maxPayloadBytes);
        return new Pending(route, encoded, ++route.seq);
      } catch (error) {
        const notSent = error instanceof NotSent ? error : new NotSent('encode', error);
        this.reports.error({
          kind: notSent.kind,
          signal: route.signalName,
          origin: this.instanceId,
          error: notSent.reason,
        });
        return REFUSED;
      }
    });
  }

  /** What to do about a command that failed: null when Redis refused it (reported), else the error to retry on. */
  private failure(item: Pending, error: unknown): unknown {
    if (isReplyError(error)) {
      this.reports.error({ kind: 'redis', signal: item.route.signalName, origin: this.instanceId, error });
      return null;
    }
    return error ?? new Error('the command failed');
  }

  private settle(batch: Pending[], failures: unknown[]): void {
    if (this.inFlight !== batch) return; // abandoned meanwhile
    this.inFlight = null;
    const retry = batch.filter((_, index) => failures[index] !== null);
    if (retry.length > 0) {
      this.outbox.unshiftAll(
        retry.map((item) => item.route),
        retry,
      );
      // Back off while the connection is down (it may not queue commands offline).
      this.retryDelay = Math.min(Math.max(this.retryDelay * 2, 25), 1_000);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.flush();
      }, this.retryDelay);
      return;
    }
    this.retryDelay = 0;
    this.flush();
  }

  private drop(route: Route, queued: Queued): void {
    if (queued === REFUSED) return; // reported already, as an encode error
    if (route.dropped++ > 0) return;
    this.dropping.push(route);
    this.dropTimer ??= setTimeout(() => this.reportDrops(), DROP_REPORT_MS);
  }

  private reportDrops(): void {
    if (this.dropTimer !== null) clearTimeout(this.dropTimer);
    this.dropTimer = null;
    const bySignal = new Map<string, number>(); // a signal both broadcast and shared has two routes
    for (const route of this.dropping) {
      bySignal.set(route.signalName, (bySignal.get(route.signalName) ?? 0) + route.dropped);
      route.dropped = 0;
    }
    this.dropping.length = 0;
    for (const [signal, lost] of bySignal)
      this.reports.gap({ reason: 'outbox-overflow', signal, origin: this.instanceId, lost });
  }
}

/**
 * The commands of a batch, as lists of its indices: per route, runs of consecutive sequence
 * numbers and one format, up to `perCommand` events and about COMMAND_BYTES. Order holds per
 * route (commands go out in the order of their first event), which is all the bridge promises.
 */
function commandsOf(batch: readonly Pending[]): number[][] {
  const commands: number[][] = [];
  const open = new Map<Route, { indices: number[]; bytes: number }>();
  for (let i = 0; i < batch.length; i++) {
    const { route, encoded, seq } = batch[i];
    if (route.perCommand === 1) {
      commands.push([i]);
      continue;
    }
    const bytes = encoded.payload.length;
    let run = open.get(route);
    if (run !== undefined) {
      const last = batch[run.indices[run.indices.length - 1]];
      const fits =
        run.indices.length < route.perCommand &&
        run.bytes + bytes <= COMMAND_BYTES &&
        seq === last.seq + 1 &&
        encoded.format === last.encoded.format;
      if (!fits) run = undefined;
    }
    if (run === undefined) {
      run = { indices: [], bytes: 0 };
      open.set(route, run);
      commands.push(run.indices);
    }
    run.indices.push(i);
    run.bytes += bytes;
  }
  return commands;
}

/** The args of an event: everything but the `signal` and `sender` the event carries. */
function argsOf(event: object): object {
  const { signal: _signal, sender: _sender, ...args } = event as { signal: unknown; sender: unknown };
  return args;
}

/** A reply error of Redis (the command reached it and failed: retrying would fail again). */
function isReplyError(error: unknown): boolean {
  try {
    return (
      error instanceof Error && /^(ErrorReply|SimpleError|BlobError|MultiErrorReply)$/.test(error.constructor.name)
    );
  } catch {
    return false;
  }
}
