/**
 * A TypeScript app's view of the packed package, compiled in every module resolution mode: both
 * entry points resolve with their types, Fastify sees `app.signals` (module augmentation), and
 * the package's Observables are the app's own rxjs types (one copy: rxjs is a peer).
 */
import type { FastifyInstance } from 'fastify';
import { map, type Observable } from 'rxjs';
import { Signal, signalsPlugin, requestFinished, type SignalEvent, type RequestOutcome } from 'rx-signals';
import { recordSignals, type SignalRecording } from 'rx-signals/testing';

const greeted = new Signal<{ name: string }>('greeted');
greeted.send(null, { name: 'Ada' });
// @ts-expect-error: the args are typed
greeted.send(null, { name: 1 });

const events: Observable<SignalEvent<{ name: string }>> = greeted.asObservable();
const recording: SignalRecording<SignalEvent<{ name: string }>> = recordSignals(greeted);

declare const app: FastifyInstance;
const outcomes: Observable<RequestOutcome> = app.signals.requestFinished$.pipe(map(({ outcome }) => outcome));

export { signalsPlugin, requestFinished, events, recording, outcomes };
