/**
 * Runs the examples of the README's `core` section, so they cannot rot. The code below is copied
 * verbatim from README.md; a test fails if the two ever differ (spec/support/readme-examples.ts),
 * and each example's `console.log(...) // → output` comments are checked against what it really prints.
 */
import { Signal, receiver, pausable, receiverErrors, namedSignal, listSignals, receiverConnected } from '../../lib';
import { BehaviorSubject, filter, firstValueFrom, from, map } from 'rxjs';
import { itRunsEachExample, readmeExamples, type ReadmeExample } from '../support/readme-examples';

// README: "A signal", verbatim.

interface User {
  id: number;
  name: string;
  active: boolean;
}
class AuthService {}

const auth = new AuthService();
const ada: User = { id: 1, name: 'Ada', active: true };
// Args is an object type; it may not declare `signal` or `sender`: every event carries the real ones.
const userLoggedIn = new Signal<{ user: User }, AuthService>('userLoggedIn');

/** The README's other examples, verbatim and in README order. */
const examples: ReadmeExample[] = [
  [
    'connect, send, disconnect',
    async () => {
      const greet = ({ user }: { user: User }) => `welcome ${user.name}`;
      const subscription = userLoggedIn.connect(greet);

      console.log(userLoggedIn.send(auth, { user: ada })); // → [ [ [Function: greet], 'welcome Ada' ] ]
      subscription.unsubscribe(); // disconnects
      console.log(userLoggedIn.hasListeners()); // → false
    },
  ],
  [
    'hasListeners and disconnect',
    async () => {
      const onLogin = () => 'hello';
      userLoggedIn.connect(onLogin, { sender: auth });

      console.log(userLoggedIn.hasListeners(), userLoggedIn.hasListeners(auth)); // → true true
      console.log(userLoggedIn.hasListeners(new AuthService())); // → false
      console.log(userLoggedIn.disconnect(onLogin)); // → false
      console.log(userLoggedIn.disconnect(onLogin, { sender: auth })); // → true
    },
  ],
  [
    'connect options',
    async () => {
      const seen: string[] = [];
      const fromAuth = () => seen.push('sender');
      const audited = () => seen.push('dispatchUid');
      const activeOnly = () => seen.push('pipe');
      const whileReferenced = () => seen.push('weak');

      const subscriptions = [
        // only events whose sender is `auth` (identity)
        userLoggedIn.connect(fromAuth, { sender: auth }),
        // a dedupe key: connecting again with it (and the same sender) returns the same Subscription
        userLoggedIn.connect(audited, { dispatchUid: 'audit' }),
        userLoggedIn.connect(() => seen.push('never'), { dispatchUid: 'audit' }),
        // RxJS operators between the signal and this receiver (one, or an array)
        userLoggedIn.connect(activeOnly, { pipe: filter(({ user }) => user.active) }),
        // held through a WeakRef: the connection ends once the function is garbage-collected
        userLoggedIn.connect(whileReferenced, { weak: true }),
      ];

      userLoggedIn.send(auth, { user: ada });
      userLoggedIn.send(new AuthService(), { user: { ...ada, active: false } });
      console.log(seen.join(' ')); // → sender dispatchUid pipe weak dispatchUid weak
      console.log(subscriptions[1] === subscriptions[2]); // → true
      subscriptions.forEach((connection) => connection.unsubscribe());
    },
  ],
  [
    'send, sendRobust, asend, asendRobust',
    async () => {
      const numbers = new Signal<{ n: number }>('numbers');
      const double = ({ n }: { n: number }) => n * 2;
      const fails = () => {
        throw new Error('boom');
      };
      const later = async ({ n }: { n: number }) => n + 1;
      numbers.connect(double);
      numbers.connect(fails);
      numbers.connect(later);

      // send: synchronous; the first error is thrown and the receivers after it are not called.
      try {
        numbers.send(null, { n: 1 });
      } catch (error) {
        console.log(String(error)); // → Error: boom
      }
      // sendRobust: every receiver is called; errors are returned in place (and reported).
      console.log(numbers.sendRobust(null, { n: 1 }).map(([, response]) => String(response))); // → [ '2', 'Error: boom', '[object Promise]' ]
      // asendRobust: awaits the async receivers; results in connection order.
      const settled = await numbers.asendRobust(null, { n: 1 });
      console.log(settled.map(([, response]) => String(response))); // → [ '2', 'Error: boom', '2' ]
      // asend: rejects, once every receiver has settled, with the earliest-connected failure.
      await numbers.asend(null, { n: 1 }).catch((error: unknown) => console.log(String(error))); // → Error: boom
    },
  ],
  [
    'receiver()',
    async () => {
      const orderPlaced = new Signal<{ orderId: string }>('orderPlaced');
      const orderCancelled = new Signal<{ orderId: string; reason: string }>('orderCancelled');
      const touched: string[] = [];

      // Django's @receiver([...]). Over signals of different args, the event is their union.
      const both = receiver([orderPlaced, orderCancelled], ({ signal, orderId }) => touched.push(`${signal.name} ${orderId}`));
      orderPlaced.send(null, { orderId: 'A1' });
      orderCancelled.send(null, { orderId: 'A1', reason: 'late' });
      both.unsubscribe(); // disconnects from both
      console.log(touched); // → [ 'orderPlaced A1', 'orderCancelled A1' ]
    },
  ],
  [
    'pausable()',
    async () => {
      const jobs = new Signal<{ id: number }>('jobs');
      const paused$ = new BehaviorSubject(false);
      const holdBack = pausable(paused$, { buffer: 1 }); // keep the newest event while paused
      const calls: string[] = [];
      jobs.connect(({ id }) => calls.push(`first ${id}`));
      jobs.connect(({ id }) => calls.push(`paused ${id}`), { pipe: holdBack });
      jobs.connect(({ id }) => calls.push(`last ${id}`));

      paused$.next(true);
      jobs.send(null, { id: 1 });
      jobs.send(null, { id: 2 }); // the buffer is full: event 1 is dropped
      paused$.next(false); // delivers event 2
      jobs.send(null, { id: 3 }); // the paused receiver is still second
      console.log(calls.join(', ')); // → first 1, last 1, first 2, last 2, paused 2, first 3, paused 3, last 3
      console.log(holdBack.dropped, jobs.receivers()[1].paused); // → 1 false
    },
  ],
  [
    'namedSignal(), listSignals() and receiverConnected',
    async () => {
      // Two modules share a signal by naming it, without importing each other (Blinker's signal(name)).
      const invoicePaid = namedSignal<{ invoice: string }>('invoicePaid');
      console.log(namedSignal('invoicePaid') === invoicePaid); // → true
      console.log(listSignals().some((signal) => signal === invoicePaid)); // → true

      // receiverConnected / receiverDisconnected: sent after a connection is made / ended on any signal.
      const changes: string[] = [];
      const watch = receiverConnected.connect(({ sender, info }) => changes.push(`${info.name} → ${sender.name}`));
      const billing = { name: 'billing' };
      const receipts: string[] = [];
      const sendReceipt = ({ invoice }: { invoice: string }) => receipts.push(invoice);
      invoicePaid.connect(sendReceipt);
      invoicePaid.connect(sendReceipt, { sender: billing }); // a second connection: another key
      watch.unsubscribe();
      console.log(changes); // → [ 'sendReceipt → invoicePaid', 'sendReceipt → invoicePaid' ]

      invoicePaid.send(billing, { invoice: 'INV-1' }); // reaches both connections
      console.log(receipts); // → [ 'INV-1', 'INV-1' ]
      console.log(invoicePaid.receivers({ sender: billing }).length, invoicePaid.receivers({ sender: auth }).length); // → 2 1
    },
  ],
  [
    'receiverErrors',
    async () => {
      const failures: string[] = [];
      const errorLog = receiverErrors.subscribe(({ signal, receiver, error }) =>
        failures.push(`${receiver.name} of ${signal.name}: ${String(error)}`),
      );

      const payments = new Signal<{ amount: number }>('payments');
      payments.connect(function chargeCard() {
        throw new Error('card declined');
      });
      const refund = () => undefined;
      payments.connect(refund, {
        pipe: map(() => {
          throw new Error('bad operator'); // ends this connection only
        }),
      });
      payments.sendRobust(null, { amount: 5 });
      console.log(failures[0]); // → chargeCard of payments: Error: card declined
      console.log(failures[1]); // → refund of payments: Error: bad operator
      console.log(payments.receivers().length); // → 1
      errorLog.unsubscribe();
    },
  ],
  [
    'a signal is an Observable',
    async () => {
      const clicks = new Signal<{ x: number }, string>('clicks');
      const xs: number[] = [];
      const senders: string[] = [];
      const allClicks = from(clicks).subscribe(({ sender }) => senders.push(sender));
      const wideClicks = clicks.pipe(
        filter(({ x }) => x > 10),
        map(({ x }) => x),
      );
      const wide = wideClicks.subscribe((x) => xs.push(x));
      const nextClick = firstValueFrom(clicks.asObservable());

      clicks.send('mouse', { x: 5 });
      clicks.send('touch', { x: 50 });
      console.log(senders, xs); // → [ 'mouse', 'touch' ] [ 50 ]
      console.log((await nextClick).x); // → 5
      allClicks.unsubscribe();
      wide.unsubscribe();
    },
  ],
];

describe('README core section', () => {
  const readme = readmeExamples({ sections: ['core'], spec: __filename, modules: { 'rx-signals': '../../lib', rxjs: 'rxjs' } });
  // The imports, then "A signal" (declarations at the top of this file), then one block per example.
  const exampleBlocks = readme.blocks.slice(2);

  it('imports only what rx-signals and rxjs export', () => {
    readme.expectSameImports();
  });

  it('has exactly the examples this file runs, verbatim and in the same order', () => {
    expect(exampleBlocks).toHaveLength(examples.length);
    readme.expectCopiedInOrder();
  });

  itRunsEachExample(examples, exampleBlocks, () => {
    expect(userLoggedIn.hasListeners()).toBe(false); // each example cleans up after itself
  });
});
