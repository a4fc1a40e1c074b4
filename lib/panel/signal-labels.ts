import type { PanelSignal } from './options';
import { safely } from './safely';

/**
 * What the page calls each signal: its name, or, for the second and later live signals of the
 * same name (`new Signal('x')` twice, or beside `namedSignal('x')`), the name with its rank,
 * `x (2)`: lanes and lists are keyed by these, so two signals never share a lane.
 *
 * @example
 * labelSignals([first, second]); // Map { first → 'orderPlaced', second → 'orderPlaced (2)' }
 * @internal
 */
export function labelSignals(signals: readonly PanelSignal[]): Map<PanelSignal, string> {
  const seen = new Map<string, number>();
  const labels = new Map<PanelSignal, string>();
  for (const signal of signals) {
    const name = safely(() => String(signal.name), '<unreadable name>');
    const rank = (seen.get(name) ?? 0) + 1;
    seen.set(name, rank);
    labels.set(signal, rank === 1 ? name : `${name} (${rank})`);
  }
  return labels;
}
