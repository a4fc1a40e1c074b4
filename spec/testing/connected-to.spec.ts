import { Signal } from '../../lib';
import { connectedTo } from '../../lib/testing';

const sender = { name: 'app' };

function names(signal: Signal<{ n: number }, object>): string[] {
  return signal.receivers().map((info) => info.name);
}

describe('connectedTo', () => {
  it('connects the receiver while fn runs and returns what fn returns', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const seen: number[] = [];
    const result = connectedTo(
      signal,
      ({ n }) => seen.push(n),
      () => {
        signal.send(sender, { n: 1 });
        return 'done';
      },
    );
    signal.send(sender, { n: 2 });
    expect(result).toBe('done');
    expect(seen).toEqual([1]);
    expect(signal.hasListeners()).toBe(false);
  });

  it('disconnects when fn throws, and passes the error on', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const failure = new Error('test body failed');
    expect(() =>
      connectedTo(
        signal,
        () => undefined,
        () => {
          throw failure;
        },
      ),
    ).toThrow(failure);
    expect(signal.hasListeners()).toBe(false);
  });

  it('stays connected until an async fn settles, and disconnects after a rejection too', async () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const seen: number[] = [];
    const pending = connectedTo(
      signal,
      ({ n }) => seen.push(n),
      async () => {
        await Promise.resolve();
        signal.send(sender, { n: 1 });
        return 42;
      },
    );
    expect(signal.hasListeners()).toBe(true);
    await expect(pending).resolves.toBe(42);
    expect(seen).toEqual([1]);
    expect(signal.hasListeners()).toBe(false);

    await expect(
      connectedTo(
        signal,
        () => undefined,
        async () => {
          throw new Error('rejected');
        },
      ),
    ).rejects.toThrow('rejected');
    expect(signal.hasListeners()).toBe(false);
  });

  it('passes options to connect (sender filter, pipe)', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const other = {};
    const seen: number[] = [];
    connectedTo(
      signal,
      ({ n }) => seen.push(n),
      () => {
        signal.send(other, { n: 1 });
        signal.send(sender, { n: 2 });
      },
      { sender },
    );
    expect(seen).toEqual([2]);
  });

  it('leaves a connection that existed before in place (connect returned its Subscription)', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const seen: number[] = [];
    function existing({ n }: { n: number }) {
      seen.push(n);
    }
    signal.connect(existing);
    connectedTo(signal, existing, () => signal.send(sender, { n: 1 }));
    signal.send(sender, { n: 2 });
    expect(seen).toEqual([1, 2]); // called once per send: the duplicate added nothing
    expect(names(signal)).toEqual(['existing']);

    signal.connect(() => undefined, { dispatchUid: 'audit' });
    connectedTo(
      signal,
      () => undefined,
      () => undefined,
      { dispatchUid: 'audit' },
    );
    expect(signal.receivers().map((info) => info.dispatchUid)).toEqual([undefined, 'audit']);
  });

  it('keeps the order of the other receivers', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    signal.connect(function first() {});
    signal.connect(function second() {});
    connectedTo(
      signal,
      function temporary() {},
      () => {
        expect(names(signal)).toEqual(['first', 'second', 'temporary']);
      },
    );
    expect(names(signal)).toEqual(['first', 'second']);
  });

  it('rejects bad input with TypeErrors that say what to pass', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    expect(() =>
      connectedTo(
        null as never,
        () => undefined,
        () => undefined,
      ),
    ).toThrow(/connectedTo\(signal, receiver, fn\): signal must be a Signal, got null/);
    expect(() => connectedTo(signal, () => undefined, 'fn' as never)).toThrow(TypeError);
    expect(() => connectedTo(signal, () => undefined, 'fn' as never)).toThrow(
      /fn must be a function, got the string "fn"/,
    );
    expect(() => connectedTo(signal, 42 as never, () => undefined)).toThrow(/receiver must be a function/);
    expect(() =>
      connectedTo(
        signal,
        () => undefined,
        () => undefined,
        { sneder: sender } as never,
      ),
    ).toThrow(/unknown option "sneder"/);
    expect(signal.hasListeners()).toBe(false);
  });
});
