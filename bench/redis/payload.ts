/** The args every Redis bench sends: a small order event, as apps send them. */
export const PAYLOAD = { orderId: 'o-000123', sku: 'A-42', qty: 3, total: 129.5, at: '2026-12-03T00:00:00.000Z' };

/** What ./sender-process.ts needs to know. */
export interface SenderConfig {
  readonly url: string;
  readonly namespace: string;
  /** The bridge's signal, and the raw mode's channel (the same channel the bridge uses). */
  readonly signal: string;
  readonly channel: string;
  readonly count: number;
  readonly chunk: number;
}
