/**
 * A TypeScript app's view of the packed package, compiled in every module resolution mode: its
 * entry points resolve with their types, Fastify sees `app.signals` (module augmentation), and
 * the package's Observables are the app's own rxjs types (one copy: rxjs is a peer).
 */
import type { FastifyInstance } from 'fastify';
import { map, type Observable } from 'rxjs';
import { Signal, signalsPlugin, requestFinished, type SignalEvent, type RequestOutcome } from 'rx-signals';
import { recordSignals, type SignalRecording } from 'rx-signals/testing';
import { redisBridge, type RedisBridge } from 'rx-signals/redis';

const greeted = new Signal<{ name: string }>('greeted');
greeted.send(null, { name: 'Ada' });
// @ts-expect-error: the args are typed
greeted.send(null, { name: 1 });

const events: Observable<SignalEvent<{ name: string }>> = greeted.asObservable();
const recording: SignalRecording<SignalEvent<{ name: string }>> = recordSignals(greeted);

declare const app: FastifyInstance;
const outcomes: Observable<RequestOutcome> = app.signals.requestFinished$.pipe(map(({ outcome }) => outcome));

const bridge: Promise<RedisBridge> = redisBridge({ url: 'redis://127.0.0.1:6379' });

export { signalsPlugin, requestFinished, events, recording, outcomes, bridge };
