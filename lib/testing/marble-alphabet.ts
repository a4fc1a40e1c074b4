import { describeValue } from '../core/checks';
import { settingChanged } from '../core/setting-changed';
import { gotRequestException, requestFinished, requestStarted, templateRendered } from '../fastify/signals';

/**
 * The letters of the built-in signals in recorded marble strings:
 * `s` requestStarted, `x` gotRequestException, `f` requestFinished, `t` templateRendered,
 * `c` settingChanged.
 *
 * @example
 * BUILT_IN_LETTERS.get(requestFinished); // 'f'
 */
export const BUILT_IN_LETTERS: ReadonlyMap<object, string> = new Map<object, string>([
  [requestStarted, 's'],
  [gotRequestException, 'x'],
  [requestFinished, 'f'],
  [templateRendered, 't'],
  [settingChanged, 'c'],
]);

/** Characters with a meaning of their own in RxJS marble syntax: never a letter for an event. */
const RESERVED = new Set(['-', '(', ')', '|', '#', '^', '!', ' ', '\n', '\t']);

/**
 * Throws a `TypeError` unless `letter` is one character that marble syntax leaves free.
 *
 * @example
 * checkLetter('mark(letter)', 'C'); // fine
 * checkLetter('mark(letter)', '-'); // TypeError: '-' means a frame of time
 * @internal
 */
export function checkLetter(where: string, letter: unknown): asserts letter is string {
  if (typeof letter !== 'string' || [...letter].length !== 1 || RESERVED.has(letter)) {
    throw new TypeError(
      `${where}: a marble letter must be one character other than - ( ) | # ^ ! or a space, got ${describeValue(letter)}. ` +
        "Use a letter such as 'a' or 'C'.",
    );
  }
}

/**
 * Picks one letter per signal: `letters[signal.name]` when given, else the built-in letter, else
 * the first character of the signal's name (lower case, then upper case, then its other
 * characters) that no other recorded signal uses. Throws when two signals would share a letter.
 *
 * @example
 * assignLetters([requestStarted, userLoggedIn], {}); // Map { requestStarted => 's', userLoggedIn => 'u' }
 * @internal
 */
export function assignLetters(
  signals: readonly { readonly name: string }[],
  letters: Readonly<Record<string, string>>,
): Map<object, string> {
  const assigned = new Map<object, string>();
  const taken = new Map<string, string>(); // letter -> signal name
  const take = (signal: { readonly name: string }, letter: string) => {
    const holder = taken.get(letter);
    if (holder !== undefined) {
      throw new TypeError(
        `recordSignals(): signals "${holder}" and "${signal.name}" would both be drawn as '${letter}'. ` +
          `Give one of them its own letter with options.letters, e.g. { letters: { ${signal.name}: 'q' } }.`,
      );
    }
    taken.set(letter, signal.name);
    assigned.set(signal, letter);
  };
  // Explicit and built-in letters first, so that derived letters avoid them.
  const rest: { readonly name: string }[] = [];
  for (const signal of signals) {
    const letter = Object.hasOwn(letters, signal.name) ? letters[signal.name] : BUILT_IN_LETTERS.get(signal);
    if (letter === undefined) rest.push(signal);
    else take(signal, letter);
  }
  for (const signal of rest) {
    const candidates = [...signal.name].flatMap((char) => [char.toLowerCase(), char.toUpperCase()]);
    const letter = candidates.find((char) => !taken.has(char) && !RESERVED.has(char));
    if (letter === undefined) {
      throw new TypeError(
        `recordSignals(): no free letter for signal "${signal.name}". Give it one with options.letters, ` +
          `e.g. { letters: { ${signal.name}: 'q' } }.`,
      );
    }
    take(signal, letter);
  }
  return assigned;
}
