import { receiverErrors, settingChanged, type ReceiverError } from '../../lib';
import { overrideSettings } from '../../lib/testing';

interface Settings {
  debug: boolean;
  cacheTtl: number;
  featureFlag?: string;
}

/** settingChanged as `setting=value/enter|exit` strings, for the settings object under test. */
function watch(settings: object) {
  const log: string[] = [];
  const subscription = settingChanged.connect(
    ({ setting, value, enter }) => {
      log.push(`${setting}=${String(value)}/${enter ? 'enter' : 'exit'}`);
    },
    { sender: settings },
  );
  return { log, stop: () => subscription.unsubscribe() };
}

describe('overrideSettings', () => {
  it('overrides while fn runs, restores afterwards and sends settingChanged on enter and exit', () => {
    const settings: Settings = { debug: false, cacheTtl: 60 };
    const { log, stop } = watch(settings);
    const seen = overrideSettings(settings, { debug: true, cacheTtl: 0 }, () => ({ ...settings }));
    stop();
    expect(seen).toEqual({ debug: true, cacheTtl: 0 });
    expect(settings).toEqual({ debug: false, cacheTtl: 60 });
    expect(log).toEqual(['debug=true/enter', 'cacheTtl=0/enter', 'debug=false/exit', 'cacheTtl=60/exit']);
  });

  it('restores absent keys as absent, not as undefined', () => {
    const settings: Settings = { debug: false, cacheTtl: 60 };
    const { log, stop } = watch(settings);
    overrideSettings(settings, { featureFlag: 'on' }, () => expect(settings.featureFlag).toBe('on'));
    stop();
    expect(Object.hasOwn(settings, 'featureFlag')).toBe(false);
    expect(log).toEqual(['featureFlag=on/enter', 'featureFlag=undefined/exit']);
  });

  it('a JSON-parsed __proto__ key is a setting of its own: the prototype is never replaced (it was, for good)', () => {
    class AppSettings {
      debug = false;
      get mode() {
        return this.debug ? 'debug' : 'production';
      }
    }
    const settings = new AppSettings();
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "debug": true}') as Partial<AppSettings>;
    const { log, stop } = watch(settings);
    overrideSettings(settings, patch, () => {
      expect(Object.getPrototypeOf(settings)).toBe(AppSettings.prototype);
      expect(settings.mode).toBe('debug');
      expect((settings as unknown as { polluted?: unknown }).polluted).toBeUndefined();
    });
    stop();
    expect(Object.getPrototypeOf(settings)).toBe(AppSettings.prototype);
    expect(Object.hasOwn(settings, '__proto__')).toBe(false);
    expect(settings.mode).toBe('production');
    expect(log).toEqual([
      '__proto__=[object Object]/enter',
      'debug=true/enter',
      '__proto__=undefined/exit',
      'debug=false/exit',
    ]);
  });

  it('restores when fn throws, and passes the error on', () => {
    const settings: Settings = { debug: false, cacheTtl: 60 };
    const { log, stop } = watch(settings);
    expect(() =>
      overrideSettings(settings, { debug: true }, () => {
        throw new Error('test failed');
      }),
    ).toThrow('test failed');
    stop();
    expect(settings.debug).toBe(false);
    expect(log).toEqual(['debug=true/enter', 'debug=false/exit']);
  });

  it('keeps the override until an async fn settles, and restores after a rejection', async () => {
    const settings: Settings = { debug: false, cacheTtl: 60 };
    const pending = overrideSettings(settings, { debug: true }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return settings.debug;
    });
    expect(settings.debug).toBe(true);
    await expect(pending).resolves.toBe(true);
    expect(settings.debug).toBe(false);

    await expect(
      overrideSettings(settings, { cacheTtl: 1 }, async () => {
        await Promise.resolve();
        throw new Error('async failure');
      }),
    ).rejects.toThrow('async failure');
    expect(settings.cacheTtl).toBe(60);
  });

  it('nests', () => {
    const settings: Settings = { debug: false, cacheTtl: 60 };
    overrideSettings(settings, { cacheTtl: 1 }, () => {
      overrideSettings(settings, { cacheTtl: 2, debug: true }, () =>
        expect(settings).toEqual({ debug: true, cacheTtl: 2 }),
      );
      expect(settings).toEqual({ debug: false, cacheTtl: 1 });
    });
    expect(settings).toEqual({ debug: false, cacheTtl: 60 });
  });

  it('exit is robust: every receiver runs, failures are reported, then the first is thrown when fn succeeded', () => {
    const settings: Settings = { debug: false, cacheTtl: 60 };
    const reports: ReceiverError[] = [];
    const errors = receiverErrors.subscribe((report) => reports.push(report));
    const calls: string[] = [];
    const failure = new Error('cannot restore');
    const subscription = settingChanged.connect(
      function fragile({ enter }) {
        calls.push(`fragile/${enter}`);
        if (!enter) throw failure;
      },
      { sender: settings },
    );
    subscription.add(settingChanged.connect(({ enter }) => calls.push(`after/${enter}`), { sender: settings }));

    expect(() => overrideSettings(settings, { debug: true }, () => 'fine')).toThrow(failure);
    expect(settings.debug).toBe(false);
    expect(calls).toEqual(['fragile/true', 'after/true', 'fragile/false', 'after/false']);
    expect(reports.map((report) => [report.receiver.name, report.error])).toEqual([['fragile', failure]]);

    // When fn failed, its error wins; the exit failure is still reported.
    expect(() =>
      overrideSettings(settings, { debug: true }, () => {
        throw new Error('fn failed');
      }),
    ).toThrow('fn failed');
    expect(reports).toHaveLength(2);
    subscription.unsubscribe();
    errors.unsubscribe();
  });

  it('enter is strict: a failing receiver restores everything and fn does not run', () => {
    const settings: Settings = { debug: false, cacheTtl: 60 };
    const log: string[] = [];
    const subscription = settingChanged.connect(
      ({ setting, enter }) => {
        log.push(`${setting}/${enter}`);
        if (enter && setting === 'cacheTtl') throw new Error('bad ttl');
      },
      { sender: settings },
    );
    const fn = jest.fn();
    expect(() => overrideSettings(settings, { debug: true, cacheTtl: -1 }, fn)).toThrow('bad ttl');
    subscription.unsubscribe();
    expect(fn).not.toHaveBeenCalled();
    expect(settings).toEqual({ debug: false, cacheTtl: 60 });
    expect(log).toEqual(['debug/true', 'cacheTtl/true', 'debug/false', 'cacheTtl/false']);
  });

  it('rejects bad input with TypeErrors, and a read-only setting without changing anything', () => {
    expect(() => overrideSettings(null as unknown as object, {}, () => undefined)).toThrow(
      /settings must be an object, got null/,
    );
    expect(() => overrideSettings({}, 'debug' as never, () => undefined)).toThrow(/patch must be an object/);
    expect(() => overrideSettings({ a: 1 }, { a: 2 }, undefined as never)).toThrow(/fn must be a function/);
    const frozen: { a: number; b: number } = Object.freeze({ a: 1, b: 2 });
    expect(() => overrideSettings(frozen, { a: 2 }, () => undefined)).toThrow(/settings\.a cannot be set/);
  });
});
