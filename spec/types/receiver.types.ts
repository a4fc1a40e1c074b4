/**
 * Type tests: `receiver()` over one signal, several of the same args, or several of different
 * args (Django's close_old_connections on request_started and request_finished), where the
 * function gets the union of their events.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { filter } from 'rxjs';
import {
  Signal,
  receiver,
  pausable,
  gotRequestException,
  requestFinished,
  requestStarted,
  type RequestLifecycleEvent,
} from 'rx-signals';
import { expectTrue, type Equal } from './expect-type';
import { authService, paused$, userLoggedIn, type AuthService, type User } from './fixtures';

declare const app: FastifyInstance;

// One signal, or several of the same args: typed like connect.
const userLoggedOut = new Signal<{ user: User }, AuthService>('userLoggedOut');
receiver(userLoggedIn, ({ user, sender }) => {
  expectTrue<Equal<typeof user, User>>();
  expectTrue<Equal<typeof sender, AuthService>>();
});
receiver([userLoggedIn, userLoggedOut], ({ user }) => user.id, { sender: authService });
receiver(userLoggedIn, () => undefined, { pipe: [filter((event) => event.user.active), pausable(paused$)] });
// @ts-expect-error: options are checked like connect's
receiver(userLoggedIn, () => undefined, { sender: 'not an AuthService' });
// @ts-expect-error: the events have no `request`
receiver([userLoggedIn, userLoggedOut], ({ request }) => request);

// Several signals of different args: the union of their events.
receiver([requestStarted, requestFinished], (event) => {
  expectTrue<Equal<typeof event.request, FastifyRequest>>();
  expectTrue<Equal<typeof event.sender, FastifyInstance>>();
  // @ts-expect-error: only requestFinished has elapsedMs
  void event.elapsedMs;
  if ('elapsedMs' in event) expectTrue<Equal<typeof event.elapsedMs, number>>();
});
receiver([requestStarted, requestFinished], () => undefined, {
  sender: app,
  pipe: [filter((event) => event.request.method !== 'OPTIONS'), pausable(paused$)],
});
// @ts-expect-error: the sender must be a FastifyInstance
receiver([requestStarted, requestFinished], () => undefined, { sender: 'app' });
receiver([requestStarted, gotRequestException, requestFinished], (event: RequestLifecycleEvent) => event.request.id);

function closeStaleConnections({ request }: { request: FastifyRequest }): void {
  void request.id;
}
receiver([requestStarted, requestFinished], closeStaleConnections, { sender: app });
// @ts-expect-error: a function that needs an arg one of the signals lacks
receiver([requestStarted, requestFinished], ({ elapsedMs }: { elapsedMs: number }) => elapsedMs);
