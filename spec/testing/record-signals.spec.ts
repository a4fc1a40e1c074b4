import { Signal, requestFinished, requestStarted, settingChanged } from '../../lib';
import { byRequest, recordSignals } from '../../lib/testing';

const app = { name: 'app' };
const otherApp = { name: 'other' };
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('recordSignals', () => {
  it('records the event objects of several signals in send order', () => {
    const userLoggedIn = new Signal<{ user: string }, object>('userLoggedIn');
    const userLoggedOut = new Signal<{ user: string }, object>('userLoggedOut');
    const recording = recordSignals([userLoggedIn, userLoggedOut]);
    userLoggedIn.send(app, { user: 'ada' });
    userLoggedOut.send(app, { user: 'ada' });
    userLoggedIn.send(otherApp, { user: 'bob' });
    const events = recording.stop();
    expect(events.map(({ signal, sender, user }) => [signal.name, sender, user])).toEqual([
      ['userLoggedIn', app, 'ada'],
      ['userLoggedOut', app, 'ada'],
      ['userLoggedIn', otherApp, 'bob'],
    ]);
    userLoggedIn.send(app, { user: 'late' });
    expect(recording.events).toHaveLength(3); // stopped
    expect(userLoggedIn.hasListeners()).toBe(false);
  });

  it('recordSignals([s, s]) records each event once (a signal listed twice was recorded twice)', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const recording = recordSignals([signal, requestStarted, signal]);
    signal.send(app, { n: 1 });
    expect(recording.toMarbles()).toBe('n');
    expect(recording.stop()).toHaveLength(1);
  });

  it('byRequest refuses what is not an event with a TypeError (it accepted anything)', () => {
    expect(byRequest({ request: { id: 'req-7' } })).toBe('req-7');
    expect(byRequest({ template: 'page.hbs' })).toBeUndefined();
    for (const bad of [undefined, null, 42, 'req-1']) {
      expect(() => byRequest(bad as never)).toThrow(TypeError);
      expect(() => byRequest(bad as never)).toThrow(/byRequest\(event\): event must be a signal event/);
    }
  });

  it('filters by sender', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const recording = recordSignals(signal, { sender: app });
    signal.send(otherApp, { n: 1 });
    signal.send(app, { n: 2 });
    expect(recording.stop().map((event) => event.n)).toEqual([2]);
  });

  describe('toMarbles', () => {
    it('draws one letter per event in order, and with ticks groups those of one synchronous tick', async () => {
      const userLoggedIn = new Signal<{ user: string }, object>('userLoggedIn');
      const userLoggedOut = new Signal<{ user: string }, object>('userLoggedOut');
      const recording = recordSignals([userLoggedIn, userLoggedOut]);
      userLoggedIn.send(app, { user: 'ada' });
      userLoggedOut.send(app, { user: 'ada' }); // same synchronous stretch: same frame
      await Promise.resolve(); // an await ends the tick
      userLoggedIn.send(app, { user: 'bob' });
      await nextTurn();
      await nextTurn(); // idle time is not drawn
      userLoggedOut.send(app, { user: 'bob' });
      recording.stop();
      expect(recording.toMarbles()).toBe('uUuU'); // the order
      expect(recording.toMarbles({ ticks: true })).toBe('(uU)uU');
    });

    it('uses s/x/f/t/c for the built-ins and takes letters from options.letters', () => {
      const custom = new Signal<{ n: number }, object>('custom');
      const recording = recordSignals([requestStarted, requestFinished, settingChanged, custom], {
        letters: { custom: 'k' },
      });
      settingChanged.send(app, { setting: 'debug', value: true, enter: true });
      custom.send(app, { n: 1 });
      recording.stop();
      expect(recording.toMarbles({ ticks: true })).toBe('(ck)');
    });

    it('draws marks beside the events, e.g. to show that a receiver ran', async () => {
      const signal = new Signal<{ n: number }, object>('numbers');
      const recording = recordSignals(signal);
      signal.connect(() => recording.mark('R'));
      signal.send(app, { n: 1 });
      await nextTurn();
      signal.send(app, { n: 2 });
      recording.stop();
      // The receiver runs inside the send: its mark always shares its event's tick.
      expect(recording.toMarbles({ ticks: true })).toBe('(nR)(nR)');
      expect(recording.toMarbles()).toBe('nRnR');
    });

    it('draws one aligned line per lane', async () => {
      const started = new Signal<{ request: { id: string } }, object>('started');
      const finished = new Signal<{ request: { id: string } }, object>('finished');
      const recording = recordSignals([started, finished]);
      const one = { id: 'req-1' };
      const two = { id: 'req-2' };
      started.send(app, { request: one });
      await nextTurn();
      started.send(app, { request: two });
      finished.send(app, { request: two });
      await nextTurn();
      finished.send(app, { request: one });
      recording.mark('M');
      recording.stop();
      expect(recording.toMarbles({ lanes: byRequest, ticks: true })).toBe(
        ['req-1  s----f', 'req-2  -(sf)-', '*      -----M'].join('\n'),
      );
      expect(recording.toMarbles({ lanes: byRequest, ticks: false })).toBe(
        ['req-1  s--f-', 'req-2  -sf--', '*      ----M'].join('\n'),
      );
    });
  });

  it('rejects bad input with TypeErrors', () => {
    const signal = new Signal<{ n: number }, object>('numbers');
    const similar = new Signal<{ n: number }, object>('nUMBERS');
    const clash = new Signal<{ n: number }, object>('n');
    expect(() => recordSignals([] as never)).toThrow(
      /signals must be a Signal or a non-empty array of Signals, got an empty array/,
    );
    expect(() => recordSignals('requestStarted' as never)).toThrow(
      /signals must be a Signal or a non-empty array of Signals, got the string/,
    );
    expect(() => recordSignals(signal, { sendr: app } as never)).toThrow(/unknown option "sendr"/);
    expect(() => recordSignals(signal, { letters: { other: 'o' } })).toThrow(/names "other", which is not one of/);
    expect(() => recordSignals(signal, { letters: { numbers: '-' } })).toThrow(/one character other than -/);
    expect(() => recordSignals([requestStarted, signal], { letters: { numbers: 's' } })).toThrow(
      /"requestStarted" and "numbers" would both be drawn as 's'/,
    );
    // Derived letters avoid each other: n, N, then u...
    const recording = recordSignals([signal, similar]);
    signal.send(app, { n: 1 });
    similar.send(app, { n: 1 });
    expect(recording.toMarbles()).toBe('nN');
    expect(() => recording.mark('ab')).toThrow(/one character/);
    expect(() => recording.toMarbles({ lanes: 'request' } as never)).toThrow(/options.lanes must be a function/);
    expect(() => recording.toMarbles({ ticks: 'yes' } as never)).toThrow(/options.ticks must be true or false/);
    recording.stop();
    expect(() => recording.mark('a')).toThrow(/recording was stopped/);
    expect(() => recordSignals([clash, signal, similar, new Signal<{ n: number }, object>('N')])).toThrow(
      /no free letter for signal "N"/,
    );
  });
});
