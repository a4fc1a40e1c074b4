import { Signal } from './signal';

/**
 * Args of {@link settingChanged}.
 *
 * @example
 * settingChanged.connect(({ setting, enter }: SettingChangedArgs) => {
 *   if (setting === 'cache' && enter) cache.clear();
 * });
 */
export interface SettingChangedArgs {
  /** The name of the setting. */
  setting: string;
  /** Its value from now on (the new one on enter, the restored one on exit). */
  value: unknown;
  /** True when an override starts, false when it ends. */
  enter: boolean;
}

/**
 * Sent by `overrideSettings` (test toolkit) for every overridden setting: on enter with the new
 * value, on exit with the restored one. The sender is the settings object. Django's `setting_changed`.
 *
 * @example
 * settingChanged.connect(({ setting, value }) => { if (setting === 'cacheTtl') cache.resize(value as number); });
 */
export const settingChanged = new Signal<SettingChangedArgs, object>('settingChanged');
