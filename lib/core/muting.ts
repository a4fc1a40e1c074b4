import { describeValue, isArray } from './checks';
import type { Connection } from './connection';

/** What names a receiver to mute: its function, or the dispatch uid it was connected with. @internal */
export type ReceiverSelector = Function | string | symbol;

/** One active mute: the receivers it names (all when null) and the events it covers. */
interface Mute<E> {
  readonly selectors: ReadonlySet<unknown> | null;
  readonly appliesTo: ((event: E) => boolean) | null;
}

/**
 * The mutes active on one signal (see `Signal.muteReceivers`). Mutes nest; a receiver is silenced
 * for an event when any of them names it and covers that event. A selector names a receiver, not
 * a connection: wherever and whenever it is connected on the signal, by whoever, it is matched.
 * @internal
 */
export class Muting<E> {
  private readonly mutes = new Set<Mute<E>>();
  /** True while any mute is active: the dispatch reads only this while none is. */
  active = false;

  /** Starts a mute; the returned function ends it (idempotent). */
  add(where: string, selectors: unknown, appliesTo: unknown): () => void {
    const mute: Mute<E> = { selectors: selectorSet(where, selectors), appliesTo: predicate(where, appliesTo) };
    this.mutes.add(mute);
    this.active = true;
    return () => {
      this.mutes.delete(mute);
      this.active = this.mutes.size > 0;
    };
  }

  /** True when a mute names this connection's receiver and covers `event`. */
  silences(connection: Connection<E>, event: E): boolean {
    for (const { selectors, appliesTo } of this.mutes) {
      if (selectors !== null && !names(selectors, connection)) continue;
      if (appliesTo === null || covers(appliesTo, event)) return true;
    }
    return false;
  }
}

function names<E>(selectors: ReadonlySet<unknown>, connection: Connection<E>): boolean {
  if (connection.uid !== null && selectors.has(connection.uid)) return true;
  const receiver = connection.receiver; // a weak receiver's function too, while it lives
  return receiver !== undefined && selectors.has(receiver);
}

/** A predicate that throws covers nothing: a broken filter must not stop a send. */
function covers<E>(appliesTo: (event: E) => boolean, event: E): boolean {
  try {
    return appliesTo(event) === true;
  } catch {
    return false;
  }
}

function selectorSet(where: string, selectors: unknown): ReadonlySet<unknown> | null {
  if (selectors === undefined) return null;
  if (!isArray(selectors)) {
    throw new TypeError(
      `${where}: selectors must be an array of receivers (functions) or dispatch uids (strings, symbols), ` +
        `got ${describeValue(selectors)}. Leave it out to mute every receiver.`,
    );
  }
  selectors.forEach((selector, index) => {
    const kind = typeof selector;
    if (kind !== 'function' && kind !== 'string' && kind !== 'symbol') {
      throw new TypeError(
        `${where}: selectors[${index}] must be a receiver function or a dispatch uid (a string or a symbol), ` +
          `got ${describeValue(selector)}.`,
      );
    }
  });
  return new Set(selectors);
}

function predicate<E>(where: string, appliesTo: unknown): ((event: E) => boolean) | null {
  if (appliesTo === undefined) return null;
  if (typeof appliesTo !== 'function') {
    throw new TypeError(`${where}: appliesTo must be a function (event) => boolean, got ${describeValue(appliesTo)}.`);
  }
  return appliesTo as (event: E) => boolean;
}
