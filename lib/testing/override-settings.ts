import { describeValue } from '../core/checks';
import { tapReceiverErrors } from '../core/receiver-errors';
import { settingChanged } from '../core/setting-changed';
import { requireFunction } from './internal/require';
import { runThen } from './internal/run-then';

/** What one overridden setting looked like before the override. */
interface SavedSetting {
  readonly setting: string;
  /** False when the key was not an own property of the settings object: restored by deleting it. */
  readonly present: boolean;
  readonly value: unknown;
}

/**
 * Django's `override_settings`: sets the keys of `patch` on `settings` while `fn` runs, then
 * restores them, even when `fn` throws or its Promise rejects. Keys that were absent are deleted
 * again (not set to `undefined`). Returns what `fn` returns.
 *
 * `settingChanged` is sent (sender: `settings`) once per key:
 * - on enter with the new value, after every key is set. This send is strict, as Django's: should
 *   a receiver throw, every key is restored, the exit sends below happen, and the error is
 *   thrown without running `fn`;
 * - on exit with the restored value, after every key is restored, robustly: every receiver runs
 *   and failures are reported on `receiverErrors`. When `fn` succeeded, the first such failure is
 *   then thrown (as Django does), so a receiver that cannot restore its state fails the test.
 *
 * Overrides nest. For an async `fn` the settings stay overridden until its Promise settles, for
 * every reader of `settings` in the process.
 *
 * @example
 * const settings = { cacheTtl: 60, debug: false };
 * await overrideSettings(settings, { debug: true }, async () => {
 *   expect(settings.debug).toBe(true);
 * });
 * // settings.debug is false again; settingChanged was sent with enter: true, then enter: false
 */
export function overrideSettings<S extends object, R>(settings: S, patch: Partial<S>, fn: () => R): R {
  if (typeof settings !== 'object' || settings === null) {
    throw new TypeError(
      `overrideSettings(settings, patch, fn): settings must be an object, got ${describeValue(settings)}. ` +
        'Pass the settings object your code reads, e.g. overrideSettings(settings, { debug: true }, fn).',
    );
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new TypeError(
      `overrideSettings(settings, patch, fn): patch must be an object of the settings to change, got ${describeValue(patch)}. ` +
        'E.g. { debug: true }.',
    );
  }
  requireFunction(
    'overrideSettings(settings, patch, fn)',
    fn,
    'overrideSettings(settings, { debug: true }, () => ...)',
  );

  const record = settings as Record<string, unknown>;
  const changes = Object.entries(patch as Record<string, unknown>);
  const saved: SavedSetting[] = [];
  try {
    for (const [setting, value] of changes) {
      const present = Object.hasOwn(record, setting);
      saved.push({ setting, present, value: present ? record[setting] : undefined });
      if (!setSetting(record, setting, value, present)) {
        throw new TypeError(
          `overrideSettings(): settings.${setting} cannot be set (read-only or the object is frozen). ` +
            'Pass a mutable settings object.',
        );
      }
    }
    for (const [setting, value] of changes) settingChanged.send(settings, { setting, value, enter: true });
  } catch (error) {
    restore(settings, saved);
    throw error;
  }

  return runThen(fn, (failed) => {
    const exitError = restore(settings, saved);
    if (!failed && exitError) throw exitError.error;
  });
}

const PROTO = '__proto__';

/**
 * Sets one setting as `settings.key = value` would (setters of a settings class run), except an
 * absent `__proto__` (a JSON-parsed patch has it as an own key): assigning it would replace the
 * prototype of `settings`, which no delete restores, so it becomes an own property instead.
 */
function setSetting(record: Record<string, unknown>, setting: string, value: unknown, present: boolean): boolean {
  if (setting !== PROTO || present) return Reflect.set(record, setting, value);
  return Reflect.defineProperty(record, setting, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Puts every saved setting back, then sends `settingChanged` robustly for each. Returns the first
 * receiver failure, if any (already reported on `receiverErrors` by the robust send).
 */
function restore(settings: object, saved: readonly SavedSetting[]): { error: unknown } | undefined {
  const record = settings as Record<string, unknown>;
  for (const { setting, present, value } of [...saved].reverse()) {
    if (present) Reflect.set(record, setting, value);
    else Reflect.deleteProperty(record, setting);
  }
  const valueOf = (setting: string) =>
    setting === PROTO && !Object.hasOwn(record, PROTO) ? undefined : record[setting];
  let firstFailure: { error: unknown } | undefined;
  // The robust send reports each failure (and returns it in place, where a thrown value cannot be
  // told from a returned one): a tap sees the reports themselves, without logging them.
  const untap = tapReceiverErrors((report) => {
    if (report.signal === settingChanged && report.sender === settings) firstFailure ??= { error: report.error };
    return false;
  });
  try {
    for (const { setting } of saved) {
      settingChanged.sendRobust(settings, { setting, value: valueOf(setting), enter: false });
    }
  } finally {
    untap();
  }
  return firstFailure;
}
