/**
 * Everything a receiver returns or throws is hostile until proven otherwise (issue 9, #1 and #6):
 * a response whose `then` cannot be read, a receiver whose `name` getter throws. Reading them
 * must never throw out of a send, skip a later receiver, or lose a report. (That the process
 * survives the same, with nothing observing, is in error-isolation.spec.ts.)
 */
import { BehaviorSubject, delay, map } from 'rxjs';
import { pausable } from '../../lib/core/pausable';
import { Signal } from '../../lib/core/signal';
import { recordReports } from './support/reports';
import { until } from './support/waiting';

interface Numbered {
  n: number;
}

const hostile = (): never => {
  throw new Error('hostile');
};

/** Responses whose `then` cannot be read. */
function unreadableThens(): [label: string, make: () => unknown][] {
  return [
    [
      'an object whose then getter throws',
      () => ({
        get then(): unknown {
          return hostile();
        },
      }),
    ],
    ['a Proxy whose get trap throws', () => new Proxy({}, { get: hostile })],
    ['a function Proxy whose get trap throws', () => new Proxy(() => undefined, { get: hostile })],
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
    ],
  ];
}

describe('a receiver response whose then cannot be read (isThenable must never throw)', () => {
  const log = recordReports();

  describe.each(unreadableThens())('%s', (_label, make) => {
    function connected(pipe?: 'map' | 'pause') {
      const signal = new Signal<Numbered>('hostile-then');
      const response = make();
      const seen: number[] = [];
      const options = pipe === 'map' ? { pipe: map((event: Numbered) => event) } : {};
      const hostileReceiver = () => response;
      signal.connect(hostileReceiver, options as object);
      signal.connect(({ n }) => seen.push(n));
      return { signal, response, seen, hostileReceiver };
    }

    it.each(['send', 'sendRobust'] as const)(
      '%s returns it as the response and calls the receivers after it',
      (method) => {
        const { signal, response, seen, hostileReceiver } = connected();
        const results = signal[method](null, { n: 1 });
        expect(results[0][0]).toBe(hostileReceiver);
        expect(results[0][1]).toBe(response);
        expect(seen).toEqual([1]);
        expect(log.reports).toEqual([]);
      },
    );

    it.each([undefined, 'map'] as const)(
      'asend and asendRobust await it as `await` would: a failure with what reading then threw, every receiver called (pipe: %s)',
      async (pipe) => {
        const { signal, seen, hostileReceiver } = connected(pipe);
        // What `await` makes of such a value: a rejection with what reading then threw.
        const readError = await (async () => {
          try {
            await make();
          } catch (error) {
            return error;
          }
        })();
        expect(readError).toBeInstanceOf(Error);
        let pending: Promise<unknown> | undefined;
        expect(() => (pending = signal.asend(null, { n: 1 }))).not.toThrow();
        await expect(pending).rejects.toThrow((readError as Error).message);
        expect(await signal.asendRobust(null, { n: 2 })).toEqual([
          [hostileReceiver, readError],
          [expect.any(Function), 2], // seen.push's new length
        ]);
        expect(seen).toEqual([1, 2]);
        expect(log.reports.map((report) => report.error)).toEqual([readError]); // asendRobust's
        expect(signal.receivers()).toHaveLength(2); // the piped connection did not end
      },
    );

    it.each(['send', 'sendRobust'] as const)('%s through a piped receiver', (method) => {
      const { signal, response, seen } = connected('map');
      const results = signal[method](null, { n: 1 });
      expect(results[0][1]).toBe(response);
      expect(seen).toEqual([1]);
      expect(signal.receivers()).toHaveLength(2); // the piped connection did not end
    });

    it('from a piped receiver called later (a delay, a resumed pause)', async () => {
      const signal = new Signal<Numbered>('hostile-later');
      const paused$ = new BehaviorSubject(true);
      let calls = 0;
      const receiver = () => {
        calls++;
        return make();
      };
      signal.connect(receiver, { pipe: delay(1) });
      signal.connect(receiver, { pipe: pausable(paused$, { buffer: 1 }), sender: null });
      signal.send(null, { n: 1 });
      paused$.next(false);
      await until(() => calls === 2);
      expect(signal.receivers()).toHaveLength(2);
      expect(log.reports).toEqual([]);
    });
  });

  it('a thenable whose then can be read once only is awaited from that one read', async () => {
    const signal = new Signal<Numbered>('read-once');
    const readOnce = () => {
      let reads = 0;
      return {
        get then() {
          if (++reads > 1) throw new Error('then read twice');
          return (resolve: (value: unknown) => void) => resolve('settled');
        },
      };
    };
    const receiver = () => readOnce();
    signal.connect(receiver);
    await expect(signal.asendRobust(null, { n: 1 })).resolves.toEqual([[receiver, 'settled']]);
    await expect(signal.asend(null, { n: 2 })).resolves.toEqual([[receiver, 'settled']]);
    expect(log.reports).toEqual([]);
  });

  it('a Promise whose constructor getter throws cannot be awaited (as with await): asend settles it as a failure', async () => {
    const signal = new Signal<Numbered>('hostile-promise');
    const receiver = () => {
      const promise = Promise.resolve(7);
      Object.defineProperty(promise, 'constructor', { get: hostile });
      return promise;
    };
    signal.connect(receiver);
    let robust: Promise<unknown> | undefined;
    expect(() => (robust = signal.asendRobust(null, { n: 1 }))).not.toThrow();
    await expect(robust).resolves.toEqual([[receiver, new Error('hostile')]]);
    expect(log.reports.map((report) => report.error)).toEqual([new Error('hostile')]);
    await expect(signal.asend(null, { n: 1 })).rejects.toThrow('hostile');
  });
});

describe('a receiver whose name getter throws (or a Proxy function)', () => {
  function receivers(): [label: string, receiver: () => never][] {
    const namedBadly = () => hostile();
    Object.defineProperty(namedBadly, 'name', { get: hostile });
    const proxied = new Proxy(() => hostile(), {
      get: (target, key) => (key === 'name' ? hostile() : Reflect.get(target, key)),
    });
    return [
      ['a name getter that throws', namedBadly],
      ['a Proxy function whose name trap throws', proxied],
    ];
  }

  it.each(receivers())(
    '%s: sendRobust reports it through the console.error fallback and goes on',
    (_label, receiver) => {
      // Nothing observes receiverErrors here: the fallback must write the report.
      const signal = new Signal<Numbered>('badly-named');
      const seen: number[] = [];
      signal.connect(receiver);
      signal.connect(({ n }) => seen.push(n));
      const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const results = signal.sendRobust(null, { n: 1 });
        expect(results[0][1]).toEqual(new Error('hostile'));
        expect(seen).toEqual([1]);
        expect(consoleError).toHaveBeenCalledTimes(1);
        expect(consoleError.mock.calls[0][0]).toBe(
          'rx-signals: receiver <anonymous> of signal "badly-named" failed (subscribe to receiverErrors to handle these reports):',
        );
      } finally {
        consoleError.mockRestore();
      }
    },
  );

  it.each(receivers())('%s: receivers() still describes it', (_label, receiver) => {
    const signal = new Signal<Numbered>('badly-named');
    signal.connect(receiver);
    expect(signal.receivers()[0].name).toBe('<anonymous>');
  });

  it('a console.error that throws on the report does not throw out of the send either', () => {
    const signal = new Signal<Numbered>('unprintable');
    const seen: number[] = [];
    signal.connect(hostile);
    signal.connect(({ n }) => seen.push(n));
    const consoleError = jest.spyOn(console, 'error').mockImplementation(hostile);
    try {
      expect(() => signal.sendRobust(null, { n: 1 })).not.toThrow();
      expect(seen).toEqual([1]);
    } finally {
      consoleError.mockRestore();
    }
  });
});
