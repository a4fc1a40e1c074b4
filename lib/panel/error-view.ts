import { functionName } from '../core/checks';
import type { ReceiverError } from '../core/receiver-errors';
import { MAX_ERROR_MESSAGE, type ErrorView } from './protocol';
import { safely } from './safely';

/** File paths and URLs inside a message: a page never shows where code or data lives. */
const PATH_OR_URL = /[a-z][a-z0-9+.-]*:\/\/\S+|(?:[A-Za-z]:)?(?:[\\/][^\s\\/'"`:]+){2,}[\\/]?/g;

/**
 * A receiver failure as a page may show it: the signal and receiver names, the error's class,
 * and (unless `withMessage` is false) the first line of its message with paths and URLs blanked
 * and cut short. Never a stack, never the sender or the event. Never throws, whatever was thrown.
 *
 * @example
 * toErrorView({ signal: requestFinished, receiver: auditLog, error: new TypeError('no /srv/x') }, Date.now(), true);
 * // { at, signal: 'requestFinished', receiver: 'auditLog', errorClass: 'TypeError', message: 'no <path>' }
 * @internal
 */
export function toErrorView(report: ReceiverError, at: number, withMessage: boolean): ErrorView {
  return {
    at,
    signal: safely(() => String(report.signal.name), '<unknown signal>'),
    receiver: safely(() => functionName(report.receiver), '<anonymous>'),
    errorClass: safely(() => errorClassOf(report.error), 'an unreadable value'),
    message: withMessage ? safely(() => messageOf(report.error), null) : null,
  };
}

function errorClassOf(error: unknown): string {
  if (error === null) return 'null';
  if (typeof error !== 'object' && typeof error !== 'function') return typeof error;
  const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name.slice(0, 60) : 'Object';
}

function messageOf(error: unknown): string | null {
  const raw = typeof error === 'string' ? error : (error as { message?: unknown } | null)?.message;
  if (typeof raw !== 'string' || raw === '') return null;
  const line = raw.split('\n', 1)[0].replace(PATH_OR_URL, '<path>');
  return line.length > MAX_ERROR_MESSAGE ? `${line.slice(0, MAX_ERROR_MESSAGE - 1)}…` : line;
}
