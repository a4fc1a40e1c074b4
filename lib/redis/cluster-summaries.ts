import { Observable, share } from 'rxjs';
import { readInstanceSummary, type InstanceSummary } from '../panel/cluster';
import type { BridgeRedisClient } from './connection';
import { keys, type BridgeContext } from './context';

/**
 * The instances' summaries for the cluster panel, on the Pub/Sub channel
 * `${namespace}:instances`. Publishing never waits and never throws; a summary published while
 * the previous one is still on its way replaces any waiting one (a newer summary makes an older
 * one worthless), so the rate on Redis is bounded by the panel's timer and by Redis itself,
 * never by traffic. What arrives is read field by field (`readInstanceSummary`); anything else
 * is reported as `malformed`. Only subscribed on Redis while someone (an open panel page) listens.
 * @internal
 */
export class ClusterSummaries {
  readonly summaries$: Observable<InstanceSummary>;
  private readonly channel: string;
  private sending = false;
  private waiting: string | null = null;

  constructor(
    private readonly ctx: BridgeContext,
    subscriber: BridgeRedisClient,
  ) {
    this.channel = keys.instances(ctx.namespace);
    this.summaries$ = new Observable<InstanceSummary>((observer) => {
      const listener = (message: string) => {
        let summary: InstanceSummary | null = null;
        try {
          summary = readInstanceSummary(JSON.parse(message));
        } catch {
          // not JSON: reported below
        }
        if (summary === null)
          ctx.reports.error({
            kind: 'malformed',
            signal: this.channel,
            error: new TypeError('not an instance summary'),
          });
        else if (summary.instanceId !== ctx.instanceId) observer.next(summary);
      };
      subscriber
        .subscribe(this.channel, listener)
        .catch((error: unknown) => ctx.reports.error({ kind: 'redis', signal: this.channel, error }));
      return () => {
        if (!ctx.closing) subscriber.unsubscribe(this.channel, listener).catch(() => {});
      };
    }).pipe(share());
  }

  publish(summary: InstanceSummary): void {
    let message: string;
    try {
      message = JSON.stringify({ ...summary, instanceId: this.ctx.instanceId });
    } catch (error) {
      this.ctx.reports.error({ kind: 'encode', signal: this.channel, error });
      return;
    }
    if (this.sending) {
      this.waiting = message;
      return;
    }
    this.send(message);
  }

  private send(message: string): void {
    if (this.ctx.closing) return;
    this.sending = true;
    this.ctx.client
      .publish(this.channel, message)
      .catch(() => {}) // at most once: the next summary replaces a lost one
      .finally(() => {
        this.sending = false;
        const next = this.waiting;
        this.waiting = null;
        if (next !== null) this.send(next);
      });
  }
}
