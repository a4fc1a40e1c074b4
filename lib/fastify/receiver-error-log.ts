import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { describeValue, functionName } from '../core/checks';
import { tapReceiverErrors, type ReceiverError } from '../core/receiver-errors';

/**
 * Logs every receiver failure of `app`'s events (sender `app`) through the request's logger, or
 * the app's for events without a request (`templateRendered`), with the signal and receiver
 * names (a thrown value the logger cannot serialize is logged by its description). The report
 * still reaches `receiverErrors`; when the logger is off, the core's
 * `console.error` fallback stays on, so a failure is never silently lost. `seen` gets each
 * report too (the plugin keeps `requestStarted` failures for `startErrors: 'fail'`).
 * Returns the function that stops it (at app close: nothing of the app stays reachable).
 *
 * @example
 * const stop = logReceiverErrors(app, () => {});
 * app.addHook('onClose', async () => stop());
 * @internal
 */
export function logReceiverErrors(
  app: FastifyInstance,
  seen: (report: ReceiverError, request: FastifyRequest | undefined) => void,
): () => void {
  return tapReceiverErrors((report) => {
    if (report.sender !== app) return false;
    const request = requestOf(report.event);
    seen(report, request);
    const log = request?.log ?? app.log;
    const signal = report.signal.name;
    const receiver = functionName(report.receiver);
    const message = `rx-signals: receiver ${receiver} of ${signal} failed`;
    try {
      log.error({ err: report.error, signal, receiver }, message);
    } catch {
      // The logger's error serializer read the thrown value and that threw (a Proxy, a getter):
      // the line still goes out, with what can be said of the value without reading it.
      log.error({ error: `${describeValue(report.error)} (its description failed)`, signal, receiver }, message);
    }
    return logsErrors(log);
  });
}

function requestOf(event: object | undefined): FastifyRequest | undefined {
  const request = (event as { request?: unknown } | undefined)?.request;
  return typeof request === 'object' && request !== null ? (request as FastifyRequest) : undefined;
}

/**
 * Whether `log.error` writes somewhere. With the logger off, Fastify's logger is an
 * abstract-logging object whose methods are no-ops named `noop`; pino says it with its level.
 */
function logsErrors(log: FastifyBaseLogger): boolean {
  const maybePino = log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
  if (typeof maybePino.isLevelEnabled === 'function') return maybePino.isLevelEnabled('error');
  return log.error.name !== 'noop';
}
