/**
 * The order in which a send reaches receivers: connection order across any-sender and
 * sender-bound connections, re-entrant sends, and connections made or ended during a send.
 */
import { filter, map } from 'rxjs';
import { Signal } from '../../lib/core/signal';
import { recordReports } from './support/reports';

interface Step {
  step: string;
}

describe('connection order', () => {
  const log = recordReports();

  it('mixes any-sender and sender-bound connections in the order they were made', () => {
    const signal = new Signal<Step, object>('ordered');
    const app = {};
    const other = {};
    const calls: string[] = [];
    const named = (name: string) => () => void calls.push(name);
    signal.connect(named('any-1'));
    signal.connect(named('app-1'), { sender: app });
    signal.connect(named('other-1'), { sender: other });
    signal.connect(named('any-2'));
    signal.connect(named('app-2'), { sender: app });
    signal.connect(named('piped-any-3'), { pipe: filter(() => true) });
    signal.connect(named('piped-app-3'), { sender: app, pipe: [map((event) => event)] });

    signal.send(app, { step: 'one' });
    expect(calls).toEqual(['any-1', 'app-1', 'any-2', 'app-2', 'piped-any-3', 'piped-app-3']);
    calls.length = 0;
    signal.send(other, { step: 'two' });
    expect(calls).toEqual(['any-1', 'other-1', 'any-2', 'piped-any-3']);
    calls.length = 0;
    signal.send({}, { step: 'three' });
    expect(calls).toEqual(['any-1', 'any-2', 'piped-any-3']);
  });

  it('gives the results in the same order as the calls', () => {
    const signal = new Signal<Step, object>('ordered-results');
    const app = {};
    const first = () => 1;
    const second = () => 2;
    const third = () => 3;
    signal.connect(second, { sender: app });
    signal.connect(first);
    signal.connect(third, { sender: app });
    expect(signal.send(app, { step: 'x' })).toEqual([
      [second, 2],
      [first, 1],
      [third, 3],
    ]);
    expect(signal.sendRobust(app, { step: 'x' }).map(([receiver]) => receiver)).toEqual([second, first, third]);
  });

  it('puts a reconnected receiver at the end: a new connection gets a new place', () => {
    const signal = new Signal<Step>('reconnect');
    const calls: string[] = [];
    const a = () => void calls.push('a');
    const b = () => void calls.push('b');
    signal.connect(a);
    signal.connect(b);
    signal.disconnect(a);
    signal.connect(a);
    signal.send(null, { step: 'x' });
    expect(calls).toEqual(['b', 'a']);
  });

  it('re-entrant send: a receiver that sends on the same signal runs the inner send to the end first', () => {
    const signal = new Signal<Step & { depth: number }>('reentrant');
    const calls: string[] = [];
    let innerResults: unknown;
    const first = ({ step, depth }: Step & { depth: number }) => {
      calls.push(`first:${step}`);
      if (depth === 0) innerResults = signal.send('inner sender', { step: 'inner', depth: 1 });
      return `first:${step}`;
    };
    const second = ({ step, sender }: Step & { sender: unknown }) => {
      calls.push(`second:${step}:${String(sender)}`);
      return `second:${step}`;
    };
    const third = ({ step }: Step) => {
      calls.push(`third:${step}`);
      return `third:${step}`;
    };
    signal.connect(first);
    signal.connect(second, { pipe: filter(() => true) });
    signal.connect(third);

    const outerResults = signal.send('outer sender', { step: 'outer', depth: 0 });
    expect(calls).toEqual([
      'first:outer',
      'first:inner',
      'second:inner:inner sender',
      'third:inner',
      'second:outer:outer sender',
      'third:outer',
    ]);
    // Each send's results are its own, even for the piped connection the inner send went through.
    expect(innerResults).toEqual([
      [first, 'first:inner'],
      [second, 'second:inner'],
      [third, 'third:inner'],
    ]);
    expect(outerResults).toEqual([
      [first, 'first:outer'],
      [second, 'second:outer'],
      [third, 'third:outer'],
    ]);
  });

  it('re-entrant send from inside a piped receiver: the inner error stays in the inner send', () => {
    const signal = new Signal<{ depth: number }>('reentrant-piped');
    const innerError = new Error('inner');
    const calls: string[] = [];
    let caught: unknown;
    const piped = ({ depth }: { depth: number }) => {
      calls.push(`piped:${depth}`);
      if (depth === 0) {
        try {
          signal.send(null, { depth: 1 });
        } catch (error) {
          caught = error;
        }
      }
      return depth;
    };
    const failsInner = ({ depth }: { depth: number }) => {
      calls.push(`fails:${depth}`);
      if (depth === 1) throw innerError;
      return 'ok';
    };
    signal.connect(piped, { pipe: [filter(() => true)] });
    signal.connect(failsInner);
    const results = signal.send(null, { depth: 0 });
    expect(calls).toEqual(['piped:0', 'piped:1', 'fails:1', 'fails:0']);
    expect(caught).toBe(innerError);
    expect(results).toEqual([
      [piped, 0],
      [failsInner, 'ok'],
    ]);
    expect(log.reports).toEqual([]);
  });
});

describe('connections changed during a send', () => {
  recordReports();

  it('a connection ended during a send is not called afterwards in it', () => {
    const signal = new Signal<Step>('disconnect-during');
    const calls: string[] = [];
    const later = () => void calls.push('later');
    const piped = () => void calls.push('piped');
    let pipedSubscription = signal.connect(() => {
      calls.push('first');
      signal.disconnect(later);
      pipedSubscription.unsubscribe();
    });
    signal.connect(later);
    pipedSubscription = signal.connect(piped, { pipe: filter(() => true) });
    const results = signal.send(null, { step: 'x' });
    expect(calls).toEqual(['first']);
    expect(results).toHaveLength(1);
    signal.send(null, { step: 'y' });
    expect(calls).toEqual(['first', 'first']);
  });

  it('a receiver that disconnects itself during a send does not disturb the others (Django test_disconnect_in_dispatch)', () => {
    const signal = new Signal<Step, object>('self-disconnect');
    const person = {};
    const ran: string[] = [];
    const handler = (name: string) =>
      function handle({ signal: from, sender }: { signal: Signal<Step, object>; sender: object }) {
        ran.push(name);
        from.disconnect(handle, { sender });
      };
    const a = handler('a');
    const b = handler('b');
    signal.connect(a, { sender: person });
    signal.connect(b, { sender: person });
    signal.send(person, { step: 'save' });
    expect(ran).toEqual(['a', 'b']);
    expect(signal.receivers()).toEqual([]);
  });

  it('a connection made during a send is not called by that send, only by the next', () => {
    const signal = new Signal<Step, object>('connect-during');
    const app = {};
    const calls: string[] = [];
    const lateAny = ({ step }: Step) => void calls.push(`late-any:${step}`);
    const lateBound = ({ step }: Step) => void calls.push(`late-bound:${step}`);
    const latePiped = ({ step }: Step) => void calls.push(`late-piped:${step}`);
    signal.connect(({ step }) => {
      calls.push(`first:${step}`);
      signal.connect(lateAny);
      signal.connect(lateBound, { sender: app });
      signal.connect(latePiped, { pipe: filter(() => true) });
    });
    const results = signal.send(app, { step: 'one' });
    expect(calls).toEqual(['first:one']);
    expect(results).toHaveLength(1);
    signal.send(app, { step: 'two' });
    expect(calls).toEqual(['first:one', 'first:two', 'late-any:two', 'late-bound:two', 'late-piped:two']);
  });

  it('a receiver disconnected and reconnected during a send is not called again by it', () => {
    const signal = new Signal<Step>('reconnect-during');
    const calls: string[] = [];
    const target = ({ step }: Step) => void calls.push(`target:${step}`);
    signal.connect(({ step }) => {
      calls.push(`first:${step}`);
      signal.disconnect(target);
      signal.connect(target);
    });
    signal.connect(target);
    signal.send(null, { step: 'one' });
    expect(calls).toEqual(['first:one']);
  });

  it('the Subscription of a connection ended during a send is closed at once, and its teardowns have run', () => {
    const signal = new Signal<Step>('closed-at-once');
    const victim = () => 'victim';
    let subscription: ReturnType<typeof signal.connect> | undefined;
    let torn = false;
    let seenInside: [closed: boolean | undefined, torn: boolean] | undefined;
    signal.connect(() => {
      signal.disconnect(victim);
      seenInside = [subscription?.closed, torn];
    });
    subscription = signal.connect(victim);
    subscription.add(() => (torn = true));
    expect(signal.send(null, { step: 'x' })).toHaveLength(1);
    expect(seenInside).toEqual([true, true]);
  });
});
