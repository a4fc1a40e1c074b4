/**
 * Compile-time assertions for the type tests in this folder. These files are compiled against
 * the packed package by spec/package/package.spec.ts and never executed.
 */

/**
 * True when `A` and `B` are the same type, not merely assignable one way.
 *
 * @example
 * expectTrue<Equal<SendResults<Args>, typeof results>>();
 */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Compiles only when `Condition` is `true`.
 *
 * @example
 * expectTrue<Equal<typeof event.user, User>>();
 */
export function expectTrue<Condition extends true>(): void {
  void (undefined as unknown as Condition);
}
