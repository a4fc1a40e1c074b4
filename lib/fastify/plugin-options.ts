import { describeValue, rejectUnknownKeys, requireOptionsObject, requireTimerMs } from '../core/checks';

/**
 * Options of `signalsPlugin`. Every one is optional; with none, receivers never change a
 * response and the request never waits for them.
 *
 * @example
 * await app.register(signalsPlugin, {
 *   startErrors: 'fail',            // a requestStarted receiver that throws fails the request
 *   awaitStart: { timeoutMs: 500 }, // the handler runs once async requestStarted receivers settled
 * });
 */
export interface SignalsPluginOptions {
  /**
   * What a failing `requestStarted` receiver does to its request.
   * - `'report'` (default): nothing. The error is logged through `request.log` and reported on
   *   `receiverErrors`; the request goes on as if the receiver had succeeded.
   * - `'fail'`: the same, and then the first failure fails the request through Fastify's error
   *   handler (a 500 unless the error carries a `statusCode`), as Django's `request_started`
   *   does. Every receiver still runs. Asynchronous failures count only with `awaitStart`.
   */
  startErrors?: 'report' | 'fail';
  /**
   * Wait for asynchronous `requestStarted` receivers (those returning a Promise) before the
   * request goes on to its handler: for receivers that must, say, open a connection first.
   * `true` waits at most 5000 ms; `{ timeoutMs }` sets the bound. When the bound expires the
   * receivers still pending are named in a warning through `request.log`, and the request goes
   * on, or with `startErrors: 'fail'` fails with a 503 (`RX_SIGNALS_START_TIMEOUT`).
   * Default `false`: the request never waits.
   */
  awaitStart?: boolean | { timeoutMs: number };
}

/**
 * The options after validation, with defaults applied.
 *
 * @example
 * const { failOnStartError, awaitStartMs } = resolvePluginOptions({ startErrors: 'fail' });
 * @internal
 */
export interface ResolvedPluginOptions {
  readonly failOnStartError: boolean;
  /** How long to wait for async `requestStarted` receivers; 0 when not waiting. */
  readonly awaitStartMs: number;
}

/**
 * The bound of `awaitStart: true`, in milliseconds.
 *
 * @example
 * resolvePluginOptions({ awaitStart: true }).awaitStartMs === DEFAULT_AWAIT_START_MS; // 5000
 */
export const DEFAULT_AWAIT_START_MS = 5000;
const OPTION_NAMES = ['startErrors', 'awaitStart'] as const;
/**
 * The register options Fastify itself reads (`prefix`, `logLevel`, `logSerializers`: its
 * `RegisterOptions`) and avvio's `name`. Fastify passes them on to every plugin with its own, so
 * they are accepted and left to Fastify.
 */
const FASTIFY_REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers', 'name'] as const;
const ALLOWED_OPTIONS: readonly string[] = [...OPTION_NAMES, ...FASTIFY_REGISTER_OPTIONS];
const WHERE = 'register(signalsPlugin, options)';

/**
 * Validates what was passed to `register(signalsPlugin, options)`: unknown options and wrong
 * types throw a `TypeError` naming the option and how to fix it, so `register` fails. Fastify's
 * own register options are accepted (Fastify passes them to every plugin).
 *
 * @example
 * resolvePluginOptions({ awaitStart: true }); // { failOnStartError: false, awaitStartMs: 5000 }
 * resolvePluginOptions({ startErrrors: 'fail' }); // TypeError: ... unknown option "startErrrors" ...
 * @internal
 */
export function resolvePluginOptions(options: unknown): ResolvedPluginOptions {
  requireOptionsObject(WHERE, options);
  if (options === undefined) return { failOnStartError: false, awaitStartMs: 0 };
  rejectUnknownKeys(WHERE, options, ALLOWED_OPTIONS);
  const { startErrors = 'report', awaitStart = false } = options as SignalsPluginOptions;

  if (startErrors !== 'report' && startErrors !== 'fail') {
    throw new TypeError(
      `${WHERE}: options.startErrors must be 'report' or 'fail', got ${describeValue(startErrors)}. ` +
        "Use 'fail' to make a failing requestStarted receiver fail the request.",
    );
  }
  return { failOnStartError: startErrors === 'fail', awaitStartMs: awaitStartBound(awaitStart) };
}

function awaitStartBound(awaitStart: unknown): number {
  if (awaitStart === false) return 0;
  if (awaitStart === true) return DEFAULT_AWAIT_START_MS;
  if (typeof awaitStart !== 'object' || awaitStart === null || Array.isArray(awaitStart)) {
    throw new TypeError(
      `${WHERE}: options.awaitStart must be true, false or { timeoutMs }, got ${describeValue(awaitStart)}. ` +
        'For example awaitStart: { timeoutMs: 500 }.',
    );
  }
  rejectUnknownKeys(`${WHERE}: options.awaitStart`, awaitStart, ['timeoutMs']);
  const { timeoutMs } = awaitStart as { timeoutMs?: unknown };
  requireTimerMs(WHERE, 'options.awaitStart.timeoutMs', timeoutMs, {
    hint: 'The wait must be bounded, e.g. { timeoutMs: 500 }.',
  });
  return timeoutMs;
}
