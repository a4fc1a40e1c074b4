/**
 * Type tests: a `pausable` operator kept in a variable (to read `dropped` and `paused`) fits any
 * signal's `options.pipe`, alone or in an array, and `signal.pipe(...)`.
 */
import type { Observable } from 'rxjs';
import { Signal, pausable, type PausableOperator, type SignalEvent } from 'rx-signals';
import { expectTrue, type Equal } from './expect-type';
import { paused$, userLoggedIn, type AuthService, type User } from './fixtures';

const holdBack = pausable(paused$, { buffer: 10 });
expectTrue<Equal<typeof holdBack, PausableOperator>>();
expectTrue<Equal<typeof holdBack.dropped, number>>();
expectTrue<Equal<typeof holdBack.paused, boolean>>();
// @ts-expect-error: dropped is read-only
holdBack.dropped = 0;

userLoggedIn.connect(() => undefined, { pipe: holdBack });
new Signal<{ jobId: string }, number>('jobs').connect(() => undefined, { pipe: [holdBack] });
const held = userLoggedIn.pipe(holdBack);
expectTrue<Equal<typeof held, Observable<SignalEvent<{ user: User }, AuthService>>>>();

// @ts-expect-error: buffer is a number
pausable(paused$, { buffer: '10' });
// @ts-expect-error: paused$ is an Observable of booleans
pausable(true);
