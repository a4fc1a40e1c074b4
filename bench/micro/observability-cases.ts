import diagnosticsChannel from 'node:diagnostics_channel';
import { do_not_optimize } from 'mitata';
import { Signal, profileReceivers } from '../../lib';
import type { MicroCase } from './cases';
import { OBSERVABILITY_CASES, type ObservabilityCase } from './observability';
import { makeListener, makePayload, type RequestPayload } from './payload';

const app = { name: 'bench-app' };

/** A no-op channel subscriber: the cost measured is the library's, not the subscriber's. */
const ignore = (): void => undefined;

/**
 * The costs of the tracing channels and the profiler: a send with nobody observing (the bar:
 * 0 receivers still ≤ 2 ns and no allocation, 1 receiver unmoved), then profiled, traced and
 * published. Each observer is switched on only while its own case runs (`observe`), so that it
 * never slows the other cases down.
 *
 * @example
 * observabilityCases().map((microCase) => microCase.label);
 */
export function observabilityCases(): MicroCase[] {
  const payload = makePayload();
  const signal = (name: string, receivers: number) => {
    const made = new Signal<RequestPayload, object>(`benchObservability.${name}`);
    for (let index = 0; index < receivers; index++) made.connect(makeListener());
    return made;
  };
  const build = (
    key: ObservabilityCase,
    made: Signal<RequestPayload, object>,
    observe?: () => () => void,
  ): MicroCase => ({
    id: OBSERVABILITY_CASES[key],
    label: OBSERVABILITY_CASES[key].slice('observability/'.length),
    receivers: made.receivers().length,
    expectedCalls: made.receivers().length,
    op: () => do_not_optimize(made.send(app, payload)),
    measureAllocation: true,
    ...(observe ? { observe } : {}),
  });
  const profiledSignal = signal('profiled', 1);
  const profileOf =
    (target: Signal<RequestPayload, object>, timeEveryCall = false) =>
    () => {
      const profiler = profileReceivers(target, { timeEveryCall });
      return () => profiler.stop();
    };
  return [
    build('emptySend', signal('empty', 0)),
    build('emptySendAfterChurn', signal('churned', 0), () => {
      // What a panel page opened and closed 20 times leaves behind: nothing, once they are gone.
      const churned = signal('churning', 0);
      const handlers = { start: ignore, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore };
      const channel = diagnosticsChannel.tracingChannel('rx-signals:receiver');
      for (let cycle = 0; cycle < 20; cycle++) {
        diagnosticsChannel.subscribe('rx-signals:send', ignore);
        channel.subscribe(handlers);
        for (let index = 0; index < 1000; index++) churned.send(app, payload);
        diagnosticsChannel.unsubscribe('rx-signals:send', ignore);
        channel.unsubscribe(handlers);
        for (let index = 0; index < 1000; index++) churned.send(app, payload);
      }
      return () => undefined;
    }),
    build('emptySendWatched', signal('watched', 0), () => {
      diagnosticsChannel.subscribe('rx-signals:send', ignore);
      return () => diagnosticsChannel.unsubscribe('rx-signals:send', ignore);
    }),
    build('send', signal('plain', 1)),
    build('profiledElsewhere', signal('elsewhere', 1), profileOf(signal('other', 1))),
    build('profiled', profiledSignal, profileOf(profiledSignal)),
    build('profiledEveryCall', profiledSignal, profileOf(profiledSignal, true)),
    build('traced', signal('traced', 1), () => {
      const channel = diagnosticsChannel.tracingChannel('rx-signals:receiver');
      const handlers = { start: ignore, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore };
      channel.subscribe(handlers);
      return () => channel.unsubscribe(handlers);
    }),
  ];
}
