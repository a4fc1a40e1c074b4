/**
 * The panel lists every signal of listSignals() by default, signals created later included, and
 * refreshes its connection list from the meta-signals (receiverConnected/receiverDisconnected),
 * which it listens to only while a page is open.
 */
import type { FastifyInstance } from 'fastify';
import { NEVER } from 'rxjs';
import {
  Signal,
  listSignals,
  receiverConnected,
  receiverDisconnected,
  requestFinished,
  type ClusterBridge,
  type SignalsPanelOptions,
} from '../../lib';
import type { PanelSignal } from '../../lib/panel/options';
import type { SignalView } from '../../lib/panel/protocol';
import { labelSignals } from '../../lib/panel/signal-labels';
import { until } from '../core/support/waiting';
import { laneEvents, openEventStream, type EventStreamClient, type StreamMessage } from './event-stream-client';
import { cleanUpAfterEach, startPanelApp } from './panel-app';

const signalsOf = (message: StreamMessage) => message.data as SignalView[];
const receiversOf = (message: StreamMessage, name: string) =>
  signalsOf(message).find((signal) => signal.name === name)?.receivers;

describe('signalsPanel: every signal of listSignals(), kept current', () => {
  let app: FastifyInstance;
  let url: string;
  const streams: EventStreamClient[] = [];
  cleanUpAfterEach(streams, () => app);

  async function openPage(options: SignalsPanelOptions = {}): Promise<EventStreamClient> {
    ({ app, url } = await startPanelApp(options, (routes) => routes.get('/ok', async () => 'ok')));
    const stream = await openEventStream(`${url}/_signals/events`);
    streams.push(stream);
    await stream.waitFor((message) => message.event === 'hello', 'hello');
    return stream;
  }

  /** The first `signals` message after the `from`-th message that satisfies `holds`. */
  const nextList = (
    stream: EventStreamClient,
    from: number,
    holds: (message: StreamMessage) => boolean,
    what: string,
  ) =>
    stream.waitFor(
      (message) => message.event === 'signals' && stream.messages.indexOf(message) >= from && holds(message),
      what,
    );

  it('lists every live signal by default, in creation order, and a signal created after the page opened', async () => {
    const stream = await openPage();
    const first = await stream.waitFor((message) => message.event === 'signals', 'the first list');
    expect(signalsOf(first).map((signal) => signal.name)).toEqual(listSignals().map((signal) => signal.name));

    const lateComer = new Signal<{ n: number }>('registry.lateComer');
    await nextList(
      stream,
      0,
      (message) => receiversOf(message, 'registry.lateComer') !== undefined,
      'lateComer listed',
    );
    const listed = (await (await fetch(`${url}/_signals/signals.json`)).json()) as { signals: SignalView[] };
    expect(listed.signals.map((signal) => signal.name)).toContain('registry.lateComer');

    // The panel's lane receiver is connected to it now: that is the panel's own, not drawn as a change.
    await until(() => lateComer.receivers().length === 1);
    function auditTrail(): void {}
    lateComer.connect(auditTrail);
    lateComer.send(null, { n: 1 });
    await stream.waitFor(
      () => laneEvents(stream).some((event) => event.signal === 'registry.lateComer'),
      "lateComer's event drawn",
    );
    await stream.waitFor(
      () => laneEvents(stream).some((event) => event.signal === 'receiverConnected'),
      'the connection drawn on the receiverConnected lane',
    );
    expect(laneEvents(stream).filter((event) => event.signal === 'receiverConnected')).toHaveLength(1);
  });

  it('updates the list as receivers connect and disconnect, from the meta-signals, without waiting for a timer', async () => {
    const invoicePaid = new Signal<{ invoice: string }>('registry.invoicePaid');
    // Pages get their periodic update once a minute here: a new list within the test comes from the meta-signals.
    const stream = await openPage({ updateIntervalMs: 60_000 });
    await stream.waitFor((message) => message.event === 'signals', 'the first list');
    function auditTrail(): void {}
    const from = stream.messages.length;
    const connection = invoicePaid.connect(auditTrail, { dispatchUid: 'audit' });
    const connected = await nextList(
      stream,
      from,
      (message) => receiversOf(message, 'registry.invoicePaid')!.some((info) => info.name === 'auditTrail'),
      'auditTrail listed',
    );
    expect(receiversOf(connected, 'registry.invoicePaid')).toEqual([
      expect.objectContaining({ name: 'rx-signals panel', own: true }),
      expect.objectContaining({ name: 'auditTrail', dispatchUid: 'audit', own: false }),
    ]);
    const later = stream.messages.length;
    connection.unsubscribe();
    await nextList(
      stream,
      later,
      (message) => !receiversOf(message, 'registry.invoicePaid')!.some((info) => info.name === 'auditTrail'),
      'auditTrail gone',
    );
  });

  it('listens to the meta-signals only while a page is open, and marks its own connections to them', async () => {
    ({ app, url } = await startPanelApp({}, () => undefined));
    await app.ready();
    expect([receiverConnected.hasListeners(), receiverDisconnected.hasListeners()]).toEqual([false, false]);

    const stream = await openEventStream(`${url}/_signals/events`);
    streams.push(stream);
    const list = await stream.waitFor((message) => message.event === 'signals', 'the first list');
    expect([receiverConnected.hasListeners(), receiverDisconnected.hasListeners()]).toEqual([true, true]);
    for (const name of ['receiverConnected', 'receiverDisconnected']) {
      expect(receiversOf(list, name)).toEqual([expect.objectContaining({ name: 'rx-signals panel', own: true })]);
    }

    stream.close();
    await stream.ended;
    await until(() => !receiverConnected.hasListeners() && !receiverDisconnected.hasListeners());
  });

  it('narrowed by the signals option: lists and watches only those', async () => {
    const shown = new Signal('registry.shown');
    const hidden = new Signal('registry.hidden');
    const stream = await openPage({ signals: [shown, requestFinished] });
    const list = await stream.waitFor((message) => message.event === 'signals', 'the first list');
    expect(signalsOf(list).map((signal) => signal.name)).toEqual(['registry.shown', 'requestFinished']);
    expect(hidden.hasListeners()).toBe(false);
    const from = stream.messages.length;
    const connection = hidden.connect(() => undefined);
    shown.connect(function shownReceiver() {});
    const next = await nextList(
      stream,
      from,
      (message) => receiversOf(message, 'registry.shown')!.length === 2,
      'shown',
    );
    expect(receiversOf(next, 'registry.hidden')).toBeUndefined();
    connection.unsubscribe();
  });

  it('tells apart two live signals of one name: the later one is "name (2)"', async () => {
    const twins = [new Signal('registry.twin'), new Signal('registry.twin')];
    expect([...labelSignals(twins as PanelSignal[]).values()]).toEqual(['registry.twin', 'registry.twin (2)']);
    const stream = await openPage();
    const list = await stream.waitFor((message) => message.event === 'signals', 'the first list');
    expect(signalsOf(list).filter((signal) => signal.name.startsWith('registry.twin'))).toEqual([
      { name: 'registry.twin', receivers: [expect.objectContaining({ own: true })] },
      { name: 'registry.twin (2)', receivers: [expect.objectContaining({ own: true })] },
    ]);
    twins[1].send(null, {});
    await stream.waitFor(
      () => laneEvents(stream).some((event) => event.signal === 'registry.twin (2)'),
      'the second twin drawn on its own lane',
    );
    expect(laneEvents(stream).filter((event) => event.signal === 'registry.twin')).toEqual([]);
  });

  it('tries a signal that refuses its receiver once, not at every update', async () => {
    const stubborn = new Signal('registry.stubborn');
    let attempts = 0;
    stubborn.connect = () => {
      attempts++;
      throw new Error('refused');
    };
    const stream = await openPage();
    // Stats go out at every slow update (once a second), when the panel also looks for new signals.
    await stream.waitFor(() => stream.messages.filter((message) => message.event === 'stats').length >= 3, 'updates');
    expect(attempts).toBe(1);
  });

  it('with a bridge and no page, watches only the request signals (for the cluster figures)', async () => {
    const custom = new Signal('registry.custom');
    const bridge: ClusterBridge = { instanceId: 'solo', publishSummary: () => undefined, summaries$: NEVER };
    ({ app, url } = await startPanelApp({ bridge }, () => undefined));
    await app.ready();
    const panelOn = (signal: { receivers(): { name: string }[] }) =>
      signal.receivers().some((info) => info.name === 'rx-signals panel');
    expect([panelOn(requestFinished), panelOn(custom)]).toEqual([true, false]);

    const stream = await openEventStream(`${url}/_signals/events`);
    streams.push(stream);
    await stream.waitFor((message) => message.event === 'hello', 'hello');
    expect(panelOn(custom)).toBe(true);
    stream.close();
    await until(() => !panelOn(custom));
    expect(panelOn(requestFinished)).toBe(true);
  });
});
