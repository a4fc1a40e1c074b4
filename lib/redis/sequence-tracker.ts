/** What the tracker makes of one arriving event. */
export type Arrival =
  /** The next event of its origin (or the first seen from it): deliver it. */
  | { readonly deliver: true; readonly lost: number }
  /** An event already seen (a retried publish, a replayed entry): drop it. */
  | { readonly deliver: false; readonly lost: 0 };

const NEXT: Arrival = Object.freeze({ deliver: true, lost: 0 });
const SEEN: Arrival = Object.freeze({ deliver: false, lost: 0 });

/**
 * Origins followed at most. Instance ids come and go (one per pod, per restart without a fixed
 * id), so the oldest followed origin is forgotten beyond this: an origin forgotten and heard
 * again is taken as new (a loss just before that is not counted).
 */
export const MAX_ORIGINS = 4_096;

/**
 * Follows the sequence numbers of one signal per origin instance: a jump is a loss of exactly
 * that many events, a number already passed is a duplicate. A new epoch (the origin restarted)
 * starts its count afresh.
 * @internal
 */
export class SequenceTracker {
  private readonly last = new Map<string, { epoch: string; seq: number }>();

  arrive(origin: string, epoch: string, seq: number): Arrival {
    const last = this.last.get(origin);
    if (last === undefined || last.epoch !== epoch) {
      this.follow(origin, epoch, seq);
      return NEXT;
    }
    if (seq <= last.seq) return SEEN;
    const lost = seq - last.seq - 1;
    last.seq = seq;
    return lost === 0 ? NEXT : { deliver: true, lost };
  }

  /**
   * An origin's "last sequence" (it sent everything up to `lastSeq`): returns how many of its
   * events never arrived. For an origin not followed yet, it is where its count starts.
   */
  announce(origin: string, epoch: string, lastSeq: number): number {
    const last = this.last.get(origin);
    if (last === undefined || last.epoch !== epoch) {
      this.follow(origin, epoch, lastSeq);
      return 0;
    }
    if (lastSeq <= last.seq) return 0;
    const lost = lastSeq - last.seq;
    last.seq = lastSeq;
    return lost;
  }

  private follow(origin: string, epoch: string, seq: number): void {
    if (this.last.size >= MAX_ORIGINS && !this.last.has(origin)) this.last.delete(this.last.keys().next().value!);
    this.last.set(origin, { epoch, seq });
  }

  /** The last sequence number of each origin, to resume from in a later run (durable replay). */
  save(): string {
    return JSON.stringify(Object.fromEntries(this.last));
  }

  /** Resumes from {@link save}'s text; ignores anything that is not. */
  restore(saved: string | null | undefined): void {
    if (typeof saved !== 'string') return;
    try {
      const parsed = JSON.parse(saved) as Record<string, { epoch?: unknown; seq?: unknown }>;
      for (const [origin, { epoch, seq }] of Object.entries(parsed)) {
        if (typeof epoch === 'string' && typeof seq === 'number' && Number.isSafeInteger(seq))
          this.follow(origin, epoch, seq);
      }
    } catch {
      // not ours: start afresh
    }
  }
}
