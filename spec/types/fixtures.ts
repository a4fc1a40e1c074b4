/**
 * Shared declarations of the type tests (compiled against the packed package by spec/package/package.spec.ts, never executed).
 */
import type { Observable } from 'rxjs';
import { Signal } from 'rx-signals';

/**
 * The payload of the example signal.
 *
 * @example
 * userLoggedIn.connect(({ user }) => user.active);
 */
export interface User {
  id: number;
  active: boolean;
}

/**
 * The example signal's sender type.
 *
 * @example
 * userLoggedIn.connect(({ sender }) => sender.kind);
 */
export class AuthService {
  readonly kind = 'auth';
}

/**
 * A sender of the right type.
 *
 * @example
 * userLoggedIn.send(authService, { user: ada });
 */
export declare const authService: AuthService;

/**
 * A pause switch for `pausable`.
 *
 * @example
 * userLoggedIn.connect(audit, { pipe: pausable(paused$) });
 */
export declare const paused$: Observable<boolean>;

/**
 * A user to send.
 *
 * @example
 * userLoggedIn.send(authService, { user: ada });
 */
export declare const ada: User;

/**
 * A signal with a required arg and a typed sender.
 *
 * @example
 * userLoggedIn.send(authService, { user: ada });
 */
export const userLoggedIn = new Signal<{ user: User }, AuthService>('userLoggedIn');
