import type { FastifyReply, FastifyRequest, RegisterOptions } from 'fastify';
import type { Subscription } from 'rxjs';
import {
  MAX_TIMER_MS,
  describeValue,
  rejectUnknownKeys,
  requireBoolean,
  requireOptionsObject,
  requireSignal,
} from '../core/checks';
import type { ReceiverInfo } from '../core/signal';
import { listSignals } from '../core/signal-list';
import { requireClusterBridge, type ClusterBridge } from './cluster';
import { DEFAULT_TIMELINE_REQUESTS, MAX_TIMELINE_REQUESTS } from './protocol';
import { settingChanged } from '../core/setting-changed';
import { gotRequestException, requestFinished, requestStarted, templateRendered } from '../fastify/signals';

/**
 * What the panel needs of a signal: its name, its connections and its events. Every `Signal`
 * fits, whatever its args and sender types.
 *
 * @example
 * const orderPlaced = new Signal<{ orderId: string }>('orderPlaced');
 * await app.register(signalsPanel, { signals: [orderPlaced, requestFinished] });
 */
export interface PanelSignal {
  readonly name: string;
  /** Its connections, in order, as `signal.receivers()` describes them. */
  receivers(): ReceiverInfo[];
  /** Connects the panel's own receiver (while a page is open). */
  connect(receiver: (event: object) => unknown): Subscription;
}

/**
 * Runs before every panel route: refuse by replying (e.g. `reply.code(401).send()`) or by
 * throwing (Fastify's error handler answers); return to let the request through. Sync or async.
 *
 * @example
 * const adminsOnly: PanelRequestGuard = (request, reply) => {
 *   if (!isAdmin(request)) return reply.code(403).send();
 * };
 */
export type PanelRequestGuard = (request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * Options of `signalsPanel`.
 *
 * @example
 * await app.register(signalsPanel, { prefix: '/admin/signals', maxClients: 2, onRequest: adminsOnly });
 */
export interface SignalsPanelOptions {
  /** Where the panel lives. Default `'/_signals'`: the page there, its event stream at `<prefix>/events`. */
  prefix?: string;
  /**
   * The signals to list, profile and draw lanes for. Default: every live signal of the process
   * (`listSignals()`), those created after the panel started included.
   */
  signals?: readonly PanelSignal[];
  /** How many pages may watch at once; one more gets a 503. Default 5. */
  maxClients?: number;
  /**
   * Run as an `onRequest` hook before every panel route (page, script, JSON, event stream) and
   * no other route: the place for authentication. Reply with 401/403 (or throw) to refuse.
   */
  onRequest?: PanelRequestGuard;
  /** How often open pages get a batch of new events, in milliseconds. Default 250. */
  updateIntervalMs?: number;
  /** How many routes the latency chart tracks on their own (the rest are pooled). Default 30. */
  maxRoutes?: number;
  /** Window of the throughput, error-rate and latency figures, in milliseconds. Default 10,000. */
  statsWindowMs?: number;
  /** Show receiver error messages (cut short, paths blanked). `false` shows the error class only. Default true. */
  errorMessages?: boolean;
  /** How many of the latest requests keep a timeline a page can open (1 to 1,000). Default 50. */
  timelineRequests?: number;
  /** A cross-instance bridge (`rx-signals/redis`): the page then shows every instance of the cluster. */
  bridge?: ClusterBridge;
  /** How often this instance's summary goes to the others through `bridge`, in milliseconds. Default 1,000. */
  clusterIntervalMs?: number;
}

/**
 * The options with every default filled in. @internal
 *
 * @example
 * const { prefix, maxClients } = resolvePanelOptions({}); // '/_signals', 5
 */
export interface ResolvedPanelOptions {
  readonly prefix: string;
  /** The `signals` option as given: `undefined` lists every live signal (see {@link listedSignals}). */
  readonly signals: readonly PanelSignal[] | undefined;
  readonly maxClients: number;
  readonly onRequest: PanelRequestGuard | undefined;
  readonly updateIntervalMs: number;
  readonly maxRoutes: number;
  readonly statsWindowMs: number;
  readonly errorMessages: boolean;
  readonly timelineRequests: number;
  readonly bridge: ClusterBridge | undefined;
  readonly clusterIntervalMs: number;
  /** Fastify's register options for the panel's routes (`logLevel`, `logSerializers`), as given. */
  readonly routeOptions: Pick<RegisterOptions, 'logLevel' | 'logSerializers'>;
}

/**
 * The five built-in signals of rx-signals (the request signals, `templateRendered` and
 * `settingChanged`): to narrow the panel to them and a few of yours, as it lists every live
 * signal by default.
 *
 * @example
 * app.register(signalsPanel, { signals: [...BUILT_IN_SIGNALS, userLoggedIn] });
 */
export const BUILT_IN_SIGNALS: readonly PanelSignal[] = Object.freeze([
  requestStarted,
  gotRequestException,
  requestFinished,
  templateRendered,
  settingChanged,
]);

const OPTION_NAMES = [
  'prefix',
  'signals',
  'maxClients',
  'onRequest',
  'updateIntervalMs',
  'maxRoutes',
  'statsWindowMs',
  'errorMessages',
  'timelineRequests',
  'bridge',
  'clusterIntervalMs',
] as const;

/** Option keys that Fastify's `register` adds to every plugin's options. */
const FASTIFY_REGISTER_OPTIONS = ['logLevel', 'logSerializers'] as const;

/** A path prefix made of URL-safe characters only, as it is also written into the page's HTML. */
const PREFIX_PATTERN = /^(\/[A-Za-z0-9._~-]+)+$/;

/**
 * Validates `signalsPanel` options and fills in the defaults. Each mistake is a `TypeError`
 * naming the option and how to fix it.
 *
 * @example
 * resolvePanelOptions({ prefix: '/admin/signals' }).maxClients; // 5
 * @internal
 */
export function resolvePanelOptions(options: unknown): ResolvedPanelOptions {
  requireOptionsObject('signalsPanel', options);
  if (options) rejectUnknownKeys('signalsPanel', options, [...OPTION_NAMES, ...FASTIFY_REGISTER_OPTIONS]);
  const {
    prefix = '/_signals',
    signals,
    maxClients = 5,
    onRequest,
    updateIntervalMs = 250,
    maxRoutes = 30,
    statsWindowMs = 10_000,
    errorMessages = true,
    timelineRequests = DEFAULT_TIMELINE_REQUESTS,
    bridge,
    clusterIntervalMs = 1000,
    logLevel,
    logSerializers,
  } = (options ?? {}) as SignalsPanelOptions & RegisterOptions;

  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(
      `signalsPanel: options.prefix must be a path such as '/_signals' (a leading slash, letters, digits, ` +
        `'.', '_', '~' or '-' in each segment, no trailing slash), got ${describeValue(prefix)}.`,
    );
  }
  if (signals !== undefined) requireSignalList(signals);
  wholeNumber('maxClients', maxClients, 1, 1000, 'e.g. { maxClients: 5 }');
  if (onRequest !== undefined && typeof onRequest !== 'function') {
    throw new TypeError(
      `signalsPanel: options.onRequest must be a function (request, reply) run before every panel route, got ${describeValue(onRequest)}. ` +
        'For example async (request, reply) => { if (request.headers.authorization !== expected) reply.code(401).send(); }.',
    );
  }
  wholeNumber('updateIntervalMs', updateIntervalMs, 10, MAX_TIMER_MS, 'e.g. { updateIntervalMs: 250 }');
  wholeNumber('maxRoutes', maxRoutes, 1, 10_000, 'e.g. { maxRoutes: 30 }');
  wholeNumber('statsWindowMs', statsWindowMs, 100, MAX_TIMER_MS, 'e.g. { statsWindowMs: 10_000 }');
  requireBoolean(
    'signalsPanel',
    'options.errorMessages',
    errorMessages,
    'false shows receiver errors without their messages.',
  );
  wholeNumber('timelineRequests', timelineRequests, 1, MAX_TIMELINE_REQUESTS, 'e.g. { timelineRequests: 50 }');
  if (bridge !== undefined) requireClusterBridge(bridge);
  wholeNumber('clusterIntervalMs', clusterIntervalMs, 100, MAX_TIMER_MS, 'e.g. { clusterIntervalMs: 1000 }');
  const routeOptions = {
    ...(logLevel === undefined ? {} : { logLevel }),
    ...(logSerializers === undefined ? {} : { logSerializers }),
  };
  return {
    prefix,
    signals,
    maxClients,
    onRequest,
    updateIntervalMs,
    maxRoutes,
    statsWindowMs,
    errorMessages,
    timelineRequests,
    bridge,
    clusterIntervalMs,
    routeOptions,
  };
}

/**
 * The signals the panel shows now: the `signals` option, or every live signal of the process.
 *
 * @example
 * listedSignals(resolvePanelOptions({})); // listSignals(): the built-ins, yours, the libraries'
 * @internal
 */
export function listedSignals(options: Pick<ResolvedPanelOptions, 'signals'>): readonly PanelSignal[] {
  return options.signals ?? listSignals();
}

function requireSignalList(signals: unknown): asserts signals is readonly PanelSignal[] {
  if (!Array.isArray(signals) || signals.length === 0) {
    throw new TypeError(
      `signalsPanel: options.signals must be a non-empty array of Signals, got ${describeValue(signals)}. ` +
        'Leave it out to show every signal of the process.',
    );
  }
  signals.forEach((signal: unknown, index) =>
    requireSignal('signalsPanel', `options.signals[${index}]`, signal, "Pass signals made with new Signal('name')."),
  );
  const names = new Set<string>();
  for (const { name } of signals as PanelSignal[]) {
    if (names.has(name)) {
      throw new TypeError(
        `signalsPanel: options.signals lists two signals named "${name}"; the panel tells lanes apart by name. ` +
          'Give each signal a distinct name, or list it once.',
      );
    }
    names.add(name);
  }
}

function wholeNumber(name: string, value: unknown, min: number, max: number, hint: string): void {
  if (!Number.isInteger(value)) {
    throw new TypeError(
      `signalsPanel: options.${name} must be a whole number from ${min} to ${max}, got ${describeValue(value)} (${hint}).`,
    );
  }
  if ((value as number) < min || (value as number) > max) {
    throw new RangeError(
      `signalsPanel: options.${name} must be from ${min} to ${max}, got ${describeValue(value)} (${hint}).`,
    );
  }
}
