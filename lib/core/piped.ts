import { Observable } from 'rxjs';
import { describeValue, isSubscribable } from './checks';
import type { Connection } from './connection';
import { dispatchFeeding, respond } from './dispatch';
import type { Muting } from './muting';
import { observers } from './observers';
import { reportReceiverError } from './receiver-errors';

type AnyEvent = { readonly sender: unknown };

/**
 * Puts a connection's `options.pipe` operators between the signal and its receiver: a send
 * pushes its event into `connection.pipeInput`, and what the chain lets through reaches the
 * receiver. What comes out while the send feeds the chain is part of that send (its results, its
 * error handling); what comes out later (a delay, a debounce, a resumed pause) runs robustly,
 * since nobody can receive a throw any more. The chain's end or error ends the connection; an
 * error is reported like a receiver error. Should an operator not return an Observable, the
 * connection is ended and the TypeError thrown.
 * @internal
 */
export function connectThroughOperators<E extends AnyEvent>(
  signal: { readonly name: string },
  connection: Connection<E>,
  operators: readonly ((source: Observable<E>) => unknown)[],
  describeOperator: (index: number) => string,
  muting: Muting<E>,
): void {
  try {
    pipeInto(signal, connection, operators, describeOperator, muting);
  } catch (error) {
    connection.end();
    throw error;
  }
}

function pipeInto<E extends AnyEvent>(
  signal: { readonly name: string },
  connection: Connection<E>,
  operators: readonly ((source: Observable<E>) => unknown)[],
  describeOperator: (index: number) => string,
  muting: Muting<E>,
): void {
  const input = new Observable<E>((subscriber) => {
    connection.pipeInput = subscriber;
    return () => {
      connection.pipeInput = null;
    };
  });
  const chain = operators.reduce<Observable<E>>((source, operator, index) => {
    const result: unknown = operator(source);
    if (!(result instanceof Observable) && !isSubscribable(result)) {
      throw new TypeError(
        `${signal.name}.connect(): ${describeOperator(index)} returned ${describeValue(result)} instead of an Observable. ` +
          'Pass RxJS operators such as filter(...) or pausable(...), not plain functions.',
      );
    }
    return result as Observable<E>;
  }, input);

  const deliver = (event: E): void => {
    // Checked again on the way out: a mute may have started since the event went in.
    if (muting.active && muting.silences(connection, event)) return;
    const receiver = connection.receiver;
    if (receiver === undefined) return connection.end();
    const send = dispatchFeeding(connection);
    if (send !== null) send.call(connection, receiver, event);
    else respond(signal, connection, receiver, event, 'robust', observers.calls); // nobody to throw to any more
  };

  connection.subscription.add(
    chain.subscribe({
      next: deliver,
      error: (error: unknown) => {
        const receiver = connection.receiver;
        const event = dispatchFeeding(connection)?.event;
        connection.end();
        const sender = event ? event.sender : connection.sender;
        if (receiver) reportReceiverError({ signal, sender, receiver, error, event });
      },
      complete: () => connection.end(),
    }),
  );
}
