/**
 * Type tests: payload and sender types reach receivers and the operators of `options.pipe`;
 * options are typed by the sender. Negative cases use `// @ts-expect-error`, which fails to
 * compile should the line ever become valid.
 */
import { filter, map } from 'rxjs';
import { pausable, type Signal } from 'rx-signals';
import { expectTrue, type Equal } from './expect-type';
import { authService, paused$, userLoggedIn, type AuthService, type User } from './fixtures';

// Receivers see the payload, the sender and the signal, typed and read-only.
userLoggedIn.connect((event) => {
  expectTrue<Equal<typeof event.user, User>>();
  expectTrue<Equal<typeof event.sender, AuthService>>();
  expectTrue<Equal<typeof event.signal, Signal<{ user: User }, AuthService>>>();
  // @ts-expect-error: events are read-only to receivers
  event.user = { id: 2, active: false };
  // @ts-expect-error: no such arg
  void event.missing;
});
userLoggedIn.connect(({ user, sender }) => `${user.id} by ${sender.kind}`);

// Operators of options.pipe get the same typed events.
userLoggedIn.connect(() => undefined, {
  pipe: filter((event) => {
    expectTrue<Equal<typeof event.user, User>>();
    return event.user.active;
  }),
});
userLoggedIn.connect(() => undefined, {
  pipe: [filter((event) => event.user.active), pausable(paused$)],
  sender: authService,
});
userLoggedIn.connect(() => undefined, {
  // @ts-expect-error: `actve` is not a field of User
  pipe: filter((event) => event.user.actve),
});
userLoggedIn.connect(() => undefined, {
  // @ts-expect-error: options.pipe keeps the event type (to map events, use signal.pipe(map(...)))
  pipe: map((event) => event.user.id),
});

// Options are typed by the sender.
userLoggedIn.connect(() => undefined, { sender: authService, dispatchUid: Symbol('uid'), weak: true });
// @ts-expect-error: the sender must be an AuthService
userLoggedIn.connect(() => undefined, { sender: 'someone else' });
// @ts-expect-error: dispatchUid is a string or a symbol
userLoggedIn.connect(() => undefined, { dispatchUid: 42 });
// @ts-expect-error: unknown option
userLoggedIn.connect(() => undefined, { sneder: authService });
// @ts-expect-error: the receiver must be a function
userLoggedIn.connect('audit');

// A receiver declared apart, typed by the args it reads, fits every signal that has them.
function auditUser({ user }: { user: User }): number {
  return user.id;
}
userLoggedIn.connect(auditUser);
userLoggedIn.disconnect(auditUser, { sender: authService });
// @ts-expect-error: disconnect's sender is typed too
userLoggedIn.disconnect(auditUser, { sender: 'someone else' });
