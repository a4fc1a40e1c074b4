import type { ErrorView, InstanceView, ReceiverRow, SignalView } from '../protocol';
import { byId, clear, fillRows, html, tableRow } from './dom';
import { formatAge, formatMs, formatPercent, logShare } from './format';

/**
 * The receivers table, slowest first as the server sorted it, with a p95 bar on a log scale.
 *
 * @example
 * renderReceivers(receiversMessage);
 */
export function renderReceivers(rows: readonly ReceiverRow[]): void {
  const body = byId<HTMLTableElement>('receivers').tBodies[0];
  const top = Math.max(1, ...rows.map((row) => row.maxMs));
  fillRows(body, rows, 7, 'No receiver has run since the page opened.', (row) => {
    const line = tableRow(
      [
        [row.receiver, 'name'],
        row.signal,
        [String(row.calls), 'num'],
        [String(row.errors), row.errors > 0 ? 'num bad' : 'num'],
        [formatMs(row.p50Ms), 'num'],
        [formatMs(row.p95Ms), 'num'],
      ],
      'receiver-row',
    );
    line.setAttribute('data-signal', row.signal);
    line.setAttribute('data-receiver', row.receiver);
    line.setAttribute('data-paused', String(row.paused));
    const cell = line.appendChild(html('td', 'bar-cell'));
    cell.appendChild(html('span', `badge ${row.paused ? 'paused' : 'live'}`, row.paused ? 'paused' : 'live'));
    const bar = cell.appendChild(html('span', 'bar'));
    bar.appendChild(html('i')).style.width = `${(logShare(row.p95Ms, top) * 100).toFixed(1)}%`;
    return line;
  });
}

/**
 * The latest receiver errors, newest first: when, where, the error's class and its message cut
 * short (or a note that messages are hidden).
 *
 * @example
 * renderErrors(errorsMessage, true);
 */
export function renderErrors(errors: readonly ErrorView[], messagesShown: boolean): void {
  const body = byId<HTMLTableElement>('errors').tBodies[0];
  fillRows(body, errors, 4, 'No receiver has failed since the page opened.', (error) => {
    const row = tableRow(
      [
        new Date(error.at).toLocaleTimeString(),
        [`${error.signal} → ${error.receiver}`, 'name'],
        [error.errorClass, 'bad'],
        [error.message ?? (messagesShown ? '' : 'message hidden'), error.message === null ? 'muted' : 'message'],
      ],
      'error-row',
    );
    row.setAttribute('data-signal', error.signal);
    row.setAttribute('data-receiver', error.receiver);
    return row;
  });
}

/**
 * The cluster view: one row per instance, this one first.
 *
 * @example
 * renderCluster(clusterMessage);
 */
export function renderCluster(instances: readonly InstanceView[]): void {
  byId('cluster-card').hidden = false;
  const body = byId<HTMLTableElement>('cluster').tBodies[0];
  fillRows(body, instances, 6, 'No instance heard from yet.', (instance) => {
    const row = tableRow(
      [
        [instance.self ? `${instance.instanceId} (this one)` : instance.instanceId, 'name'],
        [instance.perSecond.toFixed(1), 'num'],
        [formatPercent(instance.errorRate), instance.errorRate > 0 ? 'num bad' : 'num'],
        [formatMs(instance.p95Ms), 'num'],
        [String(instance.inFlight), 'num'],
        [formatAge(instance.lastSeenMs), 'num'],
      ],
      'instance-row',
    );
    row.setAttribute('data-instance', instance.instanceId);
    return row;
  });
}

/**
 * Every signal with its connections in connection order; the panel's own are marked.
 *
 * @example
 * renderSignals(signalsMessage);
 */
export function renderSignals(signals: readonly SignalView[]): void {
  const root = byId('signals');
  clear(root);
  for (const signal of signals) {
    const card = root.appendChild(html('div', 'signal', undefined, { 'data-signal': signal.name }));
    const title = card.appendChild(html('h3'));
    title.appendChild(html('span', '', signal.name));
    const count = signal.receivers.length;
    title.appendChild(html('span', 'muted', `${count} receiver${count === 1 ? '' : 's'}`));
    const list = card.appendChild(html('ul'));
    if (count === 0) list.appendChild(html('li', 'muted', 'no receivers connected'));
    for (const receiver of signal.receivers) {
      const item = list.appendChild(
        html('li', `receiver${receiver.own ? ' own' : ''}`, undefined, {
          'data-receiver': receiver.name,
          'data-paused': String(receiver.paused),
        }),
      );
      item.appendChild(html('span', 'receiver-name', receiver.name));
      if (receiver.own) item.appendChild(html('span', 'badge', 'the panel'));
      item.appendChild(html('span', 'badge sender', receiver.sender));
      item.appendChild(
        html('span', `badge ${receiver.paused ? 'paused' : 'live'}`, receiver.paused ? 'paused' : 'live'),
      );
      if (receiver.dispatchUid !== null) item.appendChild(html('span', 'badge', `uid ${receiver.dispatchUid}`));
      if (receiver.weak) item.appendChild(html('span', 'badge', 'weak'));
      if (receiver.operators > 0) {
        item.appendChild(html('span', 'badge', `${receiver.operators} operator${receiver.operators === 1 ? '' : 's'}`));
      }
    }
  }
}
