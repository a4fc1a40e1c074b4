/**
 * A port of Django's `AsyncReceiversTests` (tests/signals/tests.py, Django 5.0+), with the
 * asynchronous counterparts of the dispatch tests that the brief names (only-sync receivers,
 * mixed ordering, rejection semantics).
 *
 * Where ours differs from Django, on purpose (README, Core guarantees):
 * - Order: Django's asend/asend_robust/send_robust return sync receivers' results first, then
 *   async ones ("The ordering here is different than the order that signals were connected in").
 *   Ours always return results in connection order.
 * - `send` with an async receiver: Django runs it to completion through async_to_sync. Ours is
 *   synchronous: the receiver's Promise is its response, returned as is (a rejection is reported).
 */
import { Signal } from '../../lib/core/signal';
import { recordReports } from './support/reports';
import { deferred, macrotasks } from './support/waiting';

/** Django's SyncHandler: a callable that counts its calls and returns the count. */
function syncHandler(): () => number {
  let param = 0;
  return function syncHandler() {
    return ++param;
  };
}

/** Django's AsyncHandler: the same, as a coroutine. */
function asyncHandler(): () => Promise<number> {
  let param = 0;
  return async function asyncHandler() {
    return ++param;
  };
}

class ReceiverException extends Error {}

// Django sends with sender=self.__class__.
const sender = class AsyncReceiversTests {};

describe('AsyncReceiversTests (Django tests/signals/tests.py)', () => {
  const log = recordReports();

  it('test_asend', async () => {
    const sync = syncHandler();
    const async = asyncHandler();
    const signal = new Signal('signal');
    signal.connect(sync);
    signal.connect(async);
    expect(await signal.asend(sender)).toEqual([
      [sync, 1],
      [async, 1],
    ]);
  });

  it('test_send: an async receiver answers with its Promise, returned as is', async () => {
    // Django returns [(sync_handler, 1), (async_handler, 1)]: it runs the coroutine to the end.
    const sync = syncHandler();
    const async = asyncHandler();
    const signal = new Signal('signal');
    signal.connect(sync);
    signal.connect(async);
    const result = signal.send(sender);
    expect(result).toHaveLength(2);
    expect(result[0]).toEqual([sync, 1]);
    expect(result[1][0]).toBe(async);
    expect(result[1][1]).toBeInstanceOf(Promise);
    await expect(result[1][1]).resolves.toBe(1);
  });

  it('test_send_robust: connection order; a failing async receiver answers with its rejected Promise, reported', async () => {
    const receiverException = new ReceiverException();
    async function failingAsyncHandler(): Promise<never> {
      throw receiverException;
    }
    const sync = syncHandler();
    const async = asyncHandler();
    const signal = new Signal('signal');
    signal.connect(failingAsyncHandler);
    signal.connect(async);
    signal.connect(sync);
    const result = signal.sendRobust(sender);
    // Django: [(sync_handler, 1), (failing_async_handler, receiver_exception), (async_handler, 1)].
    expect(result.map(([receiver]) => receiver)).toEqual([failingAsyncHandler, async, sync]);
    await expect(result[0][1]).rejects.toBe(receiverException);
    await expect(result[1][1]).resolves.toBe(1);
    expect(result[2][1]).toBe(1);
    await macrotasks(1);
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({ signal, sender, receiver: failingAsyncHandler, error: receiverException });
  });

  it('test_asend_robust: results in connection order, the error in place, reported', async () => {
    const receiverException = new ReceiverException();
    async function failingAsyncHandler(): Promise<never> {
      throw receiverException;
    }
    const sync = syncHandler();
    const async = asyncHandler();
    const signal = new Signal('signal');
    signal.connect(failingAsyncHandler);
    signal.connect(async);
    signal.connect(sync);
    const result = await signal.asendRobust(sender);
    // Django: [(sync_handler, 1), (failing_async_handler, receiver_exception), (async_handler, 1)].
    expect(result).toEqual([
      [failingAsyncHandler, receiverException],
      [async, 1],
      [sync, 1],
    ]);
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0]).toMatchObject({ signal, sender, receiver: failingAsyncHandler, error: receiverException });
  });

  it('test_asend_only_async_receivers', async () => {
    const async = asyncHandler();
    const signal = new Signal('signal');
    signal.connect(async);
    expect(await signal.asend(sender)).toEqual([[async, 1]]);
  });

  it('test_asend_robust_only_async_receivers', async () => {
    const async = asyncHandler();
    const signal = new Signal('signal');
    signal.connect(async);
    expect(await signal.asendRobust(sender)).toEqual([[async, 1]]);
  });

  it('asend with only sync receivers: they run during the call', async () => {
    const calls: string[] = [];
    const signal = new Signal<{ val: string }>('signal');
    const first = ({ val }: { val: string }) => (calls.push(`first:${val}`), 1);
    const second = ({ val }: { val: string }) => (calls.push(`second:${val}`), 2);
    signal.connect(first);
    signal.connect(second);
    const pending = signal.asend(sender, { val: 'x' });
    expect(calls).toEqual(['first:x', 'second:x']); // before any await
    expect(await pending).toEqual([
      [first, 1],
      [second, 2],
    ]);
    expect(await signal.asendRobust(sender, { val: 'y' })).toEqual([
      [first, 1],
      [second, 2],
    ]);
  });

  it('asend with no receivers resolves to an empty list', async () => {
    const signal = new Signal('signal');
    await expect(signal.asend(sender)).resolves.toEqual([]);
    await expect(signal.asendRobust(sender)).resolves.toEqual([]);
  });

  it('asend: async receivers run concurrently; results keep connection order whatever order they settle in', async () => {
    const signal = new Signal('signal');
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    const started: number[] = [];
    const receivers = gates.map((gate, index) => async () => {
      started.push(index);
      return gate.promise;
    });
    const sync = () => 'sync';
    signal.connect(receivers[0]);
    signal.connect(sync);
    signal.connect(receivers[1]);
    signal.connect(receivers[2]);

    const pending = signal.asend(sender);
    expect(started).toEqual([0, 1, 2]); // all started before any settled
    gates[2].resolve('third');
    gates[1].resolve('second');
    gates[0].resolve('first');
    expect(await pending).toEqual([
      [receivers[0], 'first'],
      [sync, 'sync'],
      [receivers[1], 'second'],
      [receivers[2], 'third'],
    ]);
  });

  it('asend rejects, once every receiver settled, with the earliest-connected failure; later failures are reported', async () => {
    const signal = new Signal('signal');
    const earliest = deferred<never>();
    const slow = deferred<string>();
    const earliestError = new ReceiverException('earliest');
    const laterError = new ReceiverException('later');
    const failsLate = () => earliest.promise;
    const throwsAtOnce = () => {
      throw laterError;
    };
    const finishesLast = () => slow.promise;
    signal.connect(failsLate);
    signal.connect(throwsAtOnce);
    signal.connect(finishesLast);

    let outcome: 'pending' | 'resolved' | 'rejected' = 'pending';
    let reason: unknown;
    signal.asend(sender).then(
      () => (outcome = 'resolved'),
      (error: unknown) => {
        outcome = 'rejected';
        reason = error;
      },
    );
    earliest.reject(earliestError);
    await macrotasks(2);
    expect(outcome).toBe('pending'); // finishesLast has not settled yet
    expect(log.reports).toEqual([]); // nothing is reported before the send settles

    slow.resolve('done');
    await macrotasks(2);
    expect(outcome).toBe('rejected');
    expect(reason).toBe(earliestError); // not laterError, though it was thrown first
    // The rejection carries the earliest error; the other failure is reported, not lost.
    expect(log.reports.map((report) => [report.receiver, report.error])).toEqual([[throwsAtOnce, laterError]]);
  });

  it('asendRobust never rejects: every failure in place and reported, in connection order', async () => {
    const signal = new Signal<{ n: number }>('signal');
    const first = new ReceiverException('first');
    const second = new ReceiverException('second');
    const rejects = async () => {
      throw first;
    };
    const throws = () => {
      throw second;
    };
    const works = async ({ n }: { n: number }) => n * 2;
    signal.connect(rejects);
    signal.connect(throws);
    signal.connect(works);
    expect(await signal.asendRobust(sender, { n: 21 })).toEqual([
      [rejects, first],
      [throws, second],
      [works, 42],
    ]);
    expect(log.reports.map((report) => report.error)).toEqual([first, second]);
    expect(log.reports[0].event).toMatchObject({ n: 21, sender });
  });

  it('asend: a thenable that is not a Promise is awaited too', async () => {
    const signal = new Signal('signal');
    const thenable = { then: (resolve: (value: string) => void) => resolve('from a thenable') };
    const answersWithThenable = () => thenable;
    signal.connect(answersWithThenable);
    expect(await signal.asend(sender)).toEqual([[answersWithThenable, 'from a thenable']]);
  });
});
