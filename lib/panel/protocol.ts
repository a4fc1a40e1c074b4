/**
 * The panel's protocol: every message the server sends a page, and every number both sides must
 * agree on. The server (`lib/panel/*.ts`) and the page (`lib/panel/browser/*.ts`) both import
 * this module, so a change here is type-checked on both sides. Type declarations and constants
 * only: it is bundled into the page, so it imports nothing.
 */

/**
 * The most lane events one update carries; a burst beyond it is counted, not sent. 100 per
 * update (400 a second at the default 250 ms) draws every request of an app under 200 req/s;
 * 500 made a busy app's page stream ~270 KB/s, and the macro bench's panel-open server served
 * 0.69–0.76 × the requests of the same app without the panel, against 0.81–0.88 × with 50–100
 * (docs/benchmarks.md, "What the panel costs a request").
 */
export const MAX_BATCH = 100;
/** Lane events the server keeps for a page that opens later. */
export const RECENT_LANE_EVENTS = 300;
/** How far back the lanes reach, in milliseconds. */
export const LANE_WINDOW_MS = 15_000;
/** Dots a page keeps per lane (older ones are trimmed). */
export const MAX_PER_LANE = 400;
/** Finished requests the page lists. */
export const RECENT_REQUESTS = 15;
/** Receiver errors the server keeps and a page lists, newest first. */
export const MAX_ERRORS = 10;
/** Error messages are cut to this many characters. */
export const MAX_ERROR_MESSAGE = 120;
/** The receivers table, the request figures and the cluster view refresh this often at most. */
export const SLOW_UPDATE_MS = 1000;
/** `timelineRequests`: default and bound of the requests whose timelines are kept. */
export const DEFAULT_TIMELINE_REQUESTS = 50;
export const MAX_TIMELINE_REQUESTS = 1000;
/** Events and receiver calls kept per request timeline (a request sending more is cut short). */
export const MAX_TIMELINE_ENTRIES = 200;
/** Latency samples kept for the request figures (the window's latest). */
export const MAX_LATENCY_SAMPLES = 4096;
/**
 * Upper bounds of the latency histogram's buckets, in milliseconds, on a log scale (1-2-5 steps);
 * the last bucket takes everything slower.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];
/** An instance not heard from for this long is dropped from the cluster view. */
export const INSTANCE_FORGET_MS = 60_000;
/** Instances the cluster view lists at most. */
export const MAX_INSTANCES = 100;

/** How a request ended (the `outcome` of `requestFinished`). */
export type Outcome = 'completed' | 'errored' | 'aborted' | 'timeout';

/** `hello`: the first message of every stream; a page starts afresh from it. */
export interface HelloMessage {
  /** Server clock, milliseconds since the epoch. */
  readonly now: number;
  readonly statsWindowMs: number;
  /** How many of the latest requests have a timeline (0: none). */
  readonly timelineRequests: number;
  /** False when the panel hides error messages (`errorMessages: false`). */
  readonly errorMessages: boolean;
  /** This instance's id when the panel shows a cluster, otherwise null. */
  readonly instanceId: string | null;
}

/** One dot on a lane. Request signals carry the request's number, method, route pattern and timing. */
export interface LaneEvent {
  readonly signal: string;
  /** When it fired (server clock). */
  readonly at: number;
  /** A panel-local number per request (not the request id). */
  readonly request?: number;
  readonly method?: string;
  /** The route pattern, never the URL. */
  readonly route?: string;
  /** Sent status (requestFinished), or null when none went out. */
  readonly statusCode?: number | null;
  readonly outcome?: Outcome;
  readonly elapsedMs?: number;
  /** True when the request failed or an exception was raised. */
  readonly failing?: boolean;
}

/** `lanes`: the events since the last update. */
export interface LanesMessage {
  readonly now: number;
  readonly events: readonly LaneEvent[];
  /** Events left out of this batch (beyond {@link MAX_BATCH}). */
  readonly dropped: number;
}

/** One connection in the `signals` message, in connection order. */
export interface ConnectionView {
  readonly name: string;
  /** `'any sender'`, `'this app'`, or a few words about the sender. */
  readonly sender: string;
  readonly paused: boolean;
  readonly dispatchUid: string | null;
  readonly weak: boolean;
  readonly operators: number;
  /** True for the panel's own subscriptions. */
  readonly own: boolean;
}

/** One signal in the `signals` message. */
export interface SignalView {
  readonly name: string;
  readonly receivers: readonly ConnectionView[];
}

/** `signals`: every listed signal and its connections. */
export type SignalsMessage = readonly SignalView[];

/** One route's latency, in the `routes` message. */
export interface RouteView {
  readonly route: string;
  readonly requests: number;
  readonly failed: number;
  readonly p50: number;
  readonly p95: number;
  readonly maxMs: number;
}

/** `routes`: every tracked route. */
export type RoutesMessage = readonly RouteView[];

/** `stats`: the app's requests over the rolling window. */
export interface StatsMessage {
  readonly windowMs: number;
  readonly requests: number;
  readonly failed: number;
  readonly errorRate: number;
  readonly perSecond: number;
  /** Requests started and not finished yet. */
  readonly inFlight: number;
  /** Of the window's requests, those answered 4xx, and 5xx. */
  readonly status4xx: number;
  readonly status5xx: number;
  /** Latency percentiles over the window, null with no requests. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  /** Request counts per {@link LATENCY_BUCKETS_MS} bucket (one more: slower than the last bound). */
  readonly histogram: readonly number[];
}

/** One receiver in the `receivers` message: its figures while a page is open. */
export interface ReceiverRow {
  readonly signal: string;
  readonly receiver: string;
  readonly calls: number;
  readonly errors: number;
  readonly totalMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly paused: boolean;
}

/** `receivers`: the app's receivers, slowest first (the panel's own left out). */
export type ReceiversMessage = readonly ReceiverRow[];

/** One receiver failure, in the `errors` message. Never a stack or a path. */
export interface ErrorView {
  readonly at: number;
  readonly signal: string;
  readonly receiver: string;
  /** The error's class name (`TypeError`), or the type of what was thrown. */
  readonly errorClass: string;
  /** The message cut to {@link MAX_ERROR_MESSAGE} characters; null when hidden or none. */
  readonly message: string | null;
}

/** `errors`: the latest receiver errors, newest first, at most {@link MAX_ERRORS}. */
export type ErrorsMessage = readonly ErrorView[];

/** One receiver call of a request's timeline. */
export interface TimelineCall {
  readonly receiver: string;
  /** How long it ran (until its Promise settled), null while it has not finished. */
  readonly ms: number | null;
  readonly failed: boolean;
}

/** One event of a request's timeline. */
export interface TimelineEvent {
  readonly signal: string;
  /** Milliseconds since the request started. */
  readonly atMs: number;
  /** A template's name, for `templateRendered`. */
  readonly template?: string;
  readonly calls: readonly TimelineCall[];
}

/** A request's own timeline, served at `<prefix>/requests/<number>`. */
export interface TimelineView {
  readonly request: number;
  readonly method: string;
  readonly route: string;
  readonly statusCode: number | null;
  readonly outcome: Outcome | null;
  readonly elapsedMs: number | null;
  readonly events: readonly TimelineEvent[];
  readonly templates: readonly string[];
  /** True when the request sent more than {@link MAX_TIMELINE_ENTRIES} events or calls. */
  readonly truncated: boolean;
}

/** One instance in the `cluster` message. */
export interface InstanceView {
  readonly instanceId: string;
  readonly self: boolean;
  /** Milliseconds since its latest summary arrived. */
  readonly lastSeenMs: number;
  readonly perSecond: number;
  readonly errorRate: number;
  readonly p95Ms: number | null;
  readonly inFlight: number;
}

/** `cluster`: every instance heard from, this one first. */
export type ClusterMessage = readonly InstanceView[];

/** Every message name with its payload: the one table both sides read. */
export interface PanelMessages {
  hello: HelloMessage;
  lanes: LanesMessage;
  signals: SignalsMessage;
  routes: RoutesMessage;
  stats: StatsMessage;
  receivers: ReceiversMessage;
  errors: ErrorsMessage;
  cluster: ClusterMessage;
  bye: Record<string, never>;
}

/** Paths under the panel's prefix. */
export const PANEL_PATHS = {
  events: '/events',
  script: '/panel.js',
  style: '/panel.css',
  signals: '/signals.json',
  /** Followed by `/<request number>`. */
  requests: '/requests',
} as const;
