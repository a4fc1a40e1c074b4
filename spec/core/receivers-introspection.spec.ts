/**
 * signal.receivers(): the live connections in connection order, as Django's `signal.receivers`.
 */
import { BehaviorSubject, filter } from 'rxjs';
import { Signal } from '../../lib/core/signal';
import { pausable } from '../../lib/core/pausable';

describe('receivers()', () => {
  it('describes every live connection, in connection order', () => {
    const signal = new Signal<{ n: number }, object>('introspected');
    const app = {};
    const uid = Symbol('audit');
    const paused$ = new BehaviorSubject(true);
    function closeStaleConnections() {}
    function audit() {}
    signal.connect(closeStaleConnections, { sender: app, pipe: pausable(paused$) });
    signal.connect(() => undefined, { weak: false });
    signal.connect(audit, { dispatchUid: uid, pipe: [filter(() => true), filter(() => true)] });

    expect(signal.receivers()).toEqual([
      {
        name: 'closeStaleConnections',
        receiver: closeStaleConnections,
        bound: true,
        sender: app,
        dispatchUid: undefined,
        weak: false,
        operators: 1,
        paused: true,
      },
      {
        name: '<anonymous>',
        receiver: expect.any(Function),
        bound: false,
        sender: undefined,
        dispatchUid: undefined,
        weak: false,
        operators: 0,
        paused: false,
      },
      {
        name: 'audit',
        receiver: audit,
        bound: false,
        sender: undefined,
        dispatchUid: uid,
        weak: false,
        operators: 2,
        paused: false,
      },
    ]);
  });

  it('names an arrow function after the variable it was assigned to', () => {
    const signal = new Signal<{ n: number }>('arrow-names');
    const logRequest = () => undefined;
    signal.connect(logRequest, { weak: true });
    expect(signal.receivers()[0]).toMatchObject({ name: 'logRequest', weak: true });
  });

  it('is a snapshot: changing it changes nothing, and later connections are not in it', () => {
    const signal = new Signal<{ n: number }>('snapshot');
    signal.connect(() => undefined);
    const snapshot = signal.receivers();
    snapshot.length = 0;
    signal.connect(() => undefined);
    expect(snapshot).toEqual([]);
    expect(signal.receivers()).toHaveLength(2);
  });

  it('drops connections once they end', () => {
    const signal = new Signal<{ n: number }>('ended');
    const subscription = signal.connect(() => undefined);
    subscription.unsubscribe();
    expect(signal.receivers()).toEqual([]);
  });
});
