/**
 * What send and sendRobust return and throw: [receiver, response] pairs in connection order; the
 * first error stops `send`; `sendRobust` returns errors in place; a Promise response is returned
 * as is and its rejection reported; a send that reaches nobody allocates nothing.
 */
import { Signal } from '../../lib/core/signal';
import { recordReports } from './support/reports';
import { macrotasks } from './support/waiting';

interface Numbered {
  n: number;
}

describe('send()', () => {
  const log = recordReports();

  it('returns [receiver, response] pairs in connection order', () => {
    const signal = new Signal<Numbered>('pairs');
    const double = ({ n }: Numbered) => n * 2;
    const nothing = () => undefined;
    signal.connect(double);
    signal.connect(nothing);
    const results = signal.send(null, { n: 21 });
    expect(Array.isArray(results)).toBe(true);
    expect(results).toEqual([
      [double, 42],
      [nothing, undefined],
    ]);
    expect(results[0][0]).toBe(double);
  });

  it('throws the first receiver error; the receivers after it are not called', () => {
    const signal = new Signal<Numbered>('first-error');
    const first = new Error('first');
    const calls: string[] = [];
    signal.connect(() => void calls.push('before'));
    signal.connect(() => {
      calls.push('fails');
      throw first;
    });
    signal.connect(() => {
      calls.push('fails too');
      throw new Error('second');
    });
    signal.connect(() => void calls.push('after'));
    expect(() => signal.send(null, { n: 1 })).toThrow(first);
    expect(calls).toEqual(['before', 'fails']);
    expect(log.reports).toEqual([]); // thrown to the caller, so not reported
  });

  it('throws whatever was thrown, even a non-Error', () => {
    const signal = new Signal<Numbered>('throws-string');
    signal.connect(() => {
      throw 'a string';
    });
    let caught: unknown;
    try {
      signal.send(null, { n: 1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe('a string');
  });

  it('returns a Promise response as is, and reports its rejection (never unhandled)', async () => {
    const signal = new Signal<Numbered>('promise-response');
    const failure = new Error('rejected later');
    const resolved = Promise.resolve('value');
    let rejectLater!: (error: unknown) => void;
    const rejecting = new Promise((_resolve, reject) => (rejectLater = reject));
    const answersResolved = () => resolved;
    function answersRejecting() {
      return rejecting;
    }
    signal.connect(answersResolved);
    signal.connect(answersRejecting);
    const results = signal.send('app', { n: 1 });
    expect(results[0][1]).toBe(resolved);
    expect(results[1][1]).toBe(rejecting);
    rejectLater(failure);
    await macrotasks(1);
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({
      sender: 'app',
      receiver: answersRejecting,
      error: failure,
      event: { n: 1 },
    });
    // The caller may still observe the rejection itself.
    await expect(results[1][1]).rejects.toBe(failure);
  });

  it('sends without args when the signal has no required args', () => {
    const signal = new Signal<{ note?: string }>('no-args');
    const events: object[] = [];
    signal.connect((event) => void events.push(event));
    signal.send('app');
    signal.send('app', { note: 'hi' });
    expect(events).toEqual([
      { signal, sender: 'app' },
      { signal, sender: 'app', note: 'hi' },
    ]);
  });

  it('gives every receiver of one send the same event object', () => {
    const signal = new Signal<Numbered>('same-event');
    const events: object[] = [];
    signal.connect((event) => void events.push(event));
    signal.connect((event) => void events.push(event));
    signal.send(null, { n: 1 });
    expect(events[0]).toBe(events[1]);
  });

  it('copies args: a change to them after the send does not reach held events', () => {
    const signal = new Signal<Numbered>('copied');
    const events: Numbered[] = [];
    signal.connect((event) => void events.push(event));
    const args = { n: 1 };
    signal.send(null, args);
    args.n = 2;
    expect(events[0].n).toBe(1);
  });

  it('handles args of changing shapes', () => {
    const signal = new Signal<{ a?: number; b?: number; c?: number }>('shapes');
    const events: object[] = [];
    signal.connect(({ signal: _signal, sender: _sender, ...args }) => void events.push(args));
    const sent = [{ a: 1 }, { a: 1, b: 2 }, { b: 2, a: 1 }, { c: 3 }, {}, { a: 1, b: 2, c: 3 }, { a: 5 }];
    for (const args of sent) signal.send(null, args);
    expect(events).toEqual(sent);
  });
});

describe('sendRobust()', () => {
  const log = recordReports();

  it('calls every receiver; a thrown value is returned in place and reported', () => {
    const signal = new Signal<Numbered, string>('robust');
    const failure = new Error('fails');
    const calls: string[] = [];
    const before = () => (calls.push('before'), 'before');
    function fails(): never {
      calls.push('fails');
      throw failure;
    }
    const after = () => (calls.push('after'), 'after');
    signal.connect(before);
    signal.connect(fails);
    signal.connect(after);
    expect(signal.sendRobust('app', { n: 7 })).toEqual([
      [before, 'before'],
      [fails, failure],
      [after, 'after'],
    ]);
    expect(calls).toEqual(['before', 'fails', 'after']);
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({ signal, sender: 'app', receiver: fails, error: failure, event: { n: 7 } });
  });

  it('reports every failure, each once, in order', () => {
    const signal = new Signal<Numbered>('robust-many');
    const errors = [new Error('one'), new Error('two')];
    for (const error of errors) {
      signal.connect(() => {
        throw error;
      });
    }
    signal.sendRobust(null, { n: 1 });
    expect(log.reports.map((report) => report.error)).toEqual(errors);
  });

  it('returns a rejected Promise as is and reports the rejection once', async () => {
    const signal = new Signal<Numbered>('robust-rejection');
    const failure = new Error('async failure');
    async function rejects() {
      throw failure;
    }
    signal.connect(rejects);
    const [[, response]] = signal.sendRobust(null, { n: 1 });
    expect(response).toBeInstanceOf(Promise);
    await expect(response).rejects.toBe(failure);
    await macrotasks(1);
    expect(log.reports.map((report) => report.error)).toEqual([failure]);
  });
});

describe('a send that reaches nobody', () => {
  it.each(['send', 'sendRobust'] as const)('%s returns one shared, frozen empty list and builds no event', (method) => {
    const signal = new Signal<{ payload: unknown }>('nobody');
    let reads = 0;
    const args = {
      get payload() {
        reads++;
        return 'read';
      },
    };
    const first = signal[method](null, args);
    const second = signal[method](null, args);
    expect(first).toEqual([]);
    expect(first).toBe(second); // no result list allocated per send
    expect(Object.isFrozen(first)).toBe(true);
    expect(reads).toBe(0); // the args were never copied into an event
  });

  it('asend and asendRobust resolve to the empty list and build no event', async () => {
    const signal = new Signal<{ payload: unknown }>('nobody-async');
    let reads = 0;
    const args = {
      get payload() {
        return reads++;
      },
    };
    expect(await signal.asend(null, args)).toEqual([]);
    expect(await signal.asendRobust(null, args)).toEqual([]);
    expect(reads).toBe(0);
  });

  it('a signal whose receivers are all bound to other senders still calls nobody', () => {
    const signal = new Signal<Numbered, string>('other-senders');
    const calls: string[] = [];
    signal.connect(() => void calls.push('b'), { sender: 'b' });
    expect(signal.send('a', { n: 1 })).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('notify() (internal: the Fastify plugin sends its request signals with it)', () => {
  const log = recordReports();

  it('calls every receiver for its sender like sendRobust, keeps no results, and reports failures and rejections', async () => {
    const signal = new Signal<Numbered, string>('notified');
    const calls: string[] = [];
    const failure = new Error('receiver failed');
    const rejection = new Error('receiver rejected');
    const fails = () => {
      calls.push('fails');
      throw failure;
    };
    const rejects = async () => {
      calls.push('rejects');
      throw rejection;
    };
    signal.connect(fails);
    signal.connect(({ n }) => void calls.push(`app ${n}`), { sender: 'app' });
    signal.connect(({ n }) => void calls.push(`other ${n}`), { sender: 'other' });
    signal.connect(rejects);

    expect(signal.notify('app', { n: 1 })).toBeUndefined();
    await macrotasks(3);
    expect(calls).toEqual(['fails', 'app 1', 'rejects']);
    expect(log.reports.map(({ receiver, error, sender }) => [receiver, error, sender])).toEqual([
      [fails, failure, 'app'],
      [rejects, rejection, 'app'],
    ]);
  });

  it('rejects non-object args like the other sends', () => {
    const signal = new Signal<Numbered>('notified-args');
    expect(() => signal.notify(null, 5 as unknown as Numbered)).toThrow(TypeError);
  });
});
