/**
 * Type tests: `from(signal)`, `signal.pipe(...)` and `asObservable()` are typed Observables of
 * the signal's events.
 */
import { filter, from, map, type Observable } from 'rxjs';
import { pausable, type SignalEvent } from 'rx-signals';
import { expectTrue, type Equal } from './expect-type';
import { paused$, userLoggedIn, type AuthService, type User } from './fixtures';

type LoginEvent = SignalEvent<{ user: User }, AuthService>;

from(userLoggedIn).subscribe((event) => {
  expectTrue<Equal<typeof event, LoginEvent>>();
});
const fromSignal = from(userLoggedIn);
expectTrue<Equal<typeof fromSignal, Observable<LoginEvent>>>();

const ids = userLoggedIn.pipe(map((event) => event.user.id));
expectTrue<Equal<typeof ids, Observable<number>>>();
const activeIds = userLoggedIn.pipe(
  filter((event) => event.user.active),
  pausable(paused$),
  map((event) => event.user.id),
  map(String),
);
expectTrue<Equal<typeof activeIds, Observable<string>>>();
const everything = userLoggedIn.pipe();
expectTrue<Equal<typeof everything, Observable<LoginEvent>>>();
const observable = userLoggedIn.asObservable();
expectTrue<Equal<typeof observable, Observable<LoginEvent>>>();
// @ts-expect-error: the events have no `name`
userLoggedIn.pipe(map((event) => event.name));
// @ts-expect-error: a signal cannot be completed
userLoggedIn.complete();
// @ts-expect-error: nor can its Observable face emit
observable.next({} as LoginEvent);
// @ts-expect-error: a misspelt member does not type-check
userLoggedIn.sendRobst(null, {});
