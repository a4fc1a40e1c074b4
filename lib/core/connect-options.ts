import {
  isArray,
  rejectUnknownKeys,
  requireBoolean,
  requireDispatchUid,
  requireFunction,
  requireOptionsObject,
} from './checks';
import type { ConnectOptions, SignalArgs } from './types';

const CONNECT_OPTIONS = ['sender', 'dispatchUid', 'pipe', 'weak'] as const;

/** The options of one `connect` call, checked and normalised. @internal */
export interface ConnectionPlan<Sender> {
  readonly sender: Sender | undefined;
  /** True when the connection hears only `sender`. */
  readonly bound: boolean;
  /** The dispatch uid, or null when the receiver itself is the dedupe key. */
  readonly uid: string | symbol | null;
  readonly weak: boolean;
  /** The operators of `options.pipe`, as a list (empty without). */
  readonly operators: readonly Function[];
  /** How error messages name the operator at `index` (`options.pipe` or `options.pipe[i]`). */
  readonly describeOperator: (index: number) => string;
}

/**
 * Checks `signal.connect`'s options (a clear TypeError for anything wrong) and normalises them.
 * @internal
 */
export function planConnection<Args extends SignalArgs, Sender>(
  where: string,
  options: ConnectOptions<Args, Sender> | undefined,
): ConnectionPlan<Sender> {
  requireOptionsObject(where, options);
  if (options) rejectUnknownKeys(where, options, CONNECT_OPTIONS);
  const { sender, dispatchUid, pipe, weak = false } = options ?? {};
  requireDispatchUid(where, dispatchUid);
  requireBoolean(where, 'options.weak', weak);
  const describeOperator = (index: number) => (isArray(pipe) ? `options.pipe[${index}]` : 'options.pipe');
  const operators: readonly unknown[] = pipe === undefined ? [] : isArray(pipe) ? pipe : [pipe];
  operators.forEach((operator, index) =>
    requireFunction(
      where,
      describeOperator(index),
      operator,
      'Pass RxJS operators such as filter(...) or pausable(paused$), or an array of them.',
    ),
  );
  return {
    sender,
    bound: sender !== undefined,
    uid: dispatchUid ?? null,
    weak,
    operators: operators as readonly Function[],
    describeOperator,
  };
}
