/**
 * Type tests: `send` and its variants check args (wrong, missing, excess; optional when Args has
 * no required keys), Args may not declare `signal` or `sender`, and results are typed.
 */
import { Signal, type Receiver, type SendResults } from 'rx-signals';
import { expectTrue, type Equal } from './expect-type';
import { ada, authService, userLoggedIn, type AuthService, type User } from './fixtures';

userLoggedIn.send(authService, { user: ada });
// @ts-expect-error: args are required when the signal has required args
userLoggedIn.send(authService);
// @ts-expect-error: wrong type of arg
userLoggedIn.send(authService, { user: 'bob' });
// @ts-expect-error: missing arg
userLoggedIn.send(authService, {});
// @ts-expect-error: the sender must be an AuthService
userLoggedIn.send('someone', { user: ada });
// @ts-expect-error: excess arg
userLoggedIn.sendRobust(authService, { user: ada, extra: 1 });
// @ts-expect-error: asend checks the same way
void userLoggedIn.asend(authService, { user: 1 });
// @ts-expect-error: so does asendRobust
void userLoggedIn.asendRobust(authService);

// Optional args: they may be left out when Args has no required keys.
const cacheCleared = new Signal<{ reason?: string }>('cacheCleared');
cacheCleared.send(null);
cacheCleared.send(null, {});
cacheCleared.send(null, { reason: 'deploy' });
// @ts-expect-error: reason is a string
cacheCleared.send(null, { reason: 1 });
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a signal without args, as users write it
const ping = new Signal<{}>('ping');
ping.send(undefined);
void ping.asend(undefined);
void ping.asendRobust(undefined);

// Args may not declare `signal` or `sender`: every event carries the real ones.
// @ts-expect-error: `signal` is reserved
new Signal<{ signal: string }>('badSignalArg');
// @ts-expect-error: `sender` is reserved
new Signal<{ sender: number; other: string }>('badSenderArg');
// @ts-expect-error: Args is an object type
new Signal<string>('primitiveArgs');

// Results are typed [receiver, response] pairs; a response is unknown until checked.
const results = userLoggedIn.send(authService, { user: ada });
expectTrue<Equal<typeof results, SendResults<{ user: User }, AuthService>>>();
for (const [connected, response] of results) {
  expectTrue<Equal<typeof connected, Receiver<{ user: User }, AuthService>>>();
  expectTrue<Equal<typeof response, unknown>>();
}
// @ts-expect-error: results are read-only
results.push([() => undefined, 1]);
async function asyncResults(): Promise<void> {
  const settled = await userLoggedIn.asend(authService, { user: ada });
  expectTrue<Equal<typeof settled, SendResults<{ user: User }, AuthService>>>();
  const robust = await userLoggedIn.asendRobust(authService, { user: ada });
  expectTrue<Equal<typeof robust, SendResults<{ user: User }, AuthService>>>();
}
void asyncResults;
