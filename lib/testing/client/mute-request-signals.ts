import { gotRequestException, requestFinished, requestStarted } from '../../fastify/signals';
import type { ReceiverSelector } from '../internal/receiver-selectors';

const REQUEST_SIGNALS = [requestStarted, gotRequestException, requestFinished] as const;

/**
 * Mutes the `selectors` receivers on the three request signals, for the events `appliesTo`
 * accepts (a client's requests'), until the returned function is called. Nothing is
 * disconnected, so every receiver keeps its place; other events still reach them.
 *
 * @example
 * const unmute = muteRequestSignals([closeStaleConnections], (event) => clientRequests.ownerOf(event)?.sentBy === client);
 * @internal
 */
export function muteRequestSignals(
  selectors: readonly ReceiverSelector[],
  appliesTo: (event: { readonly signal: unknown; readonly request?: unknown }) => boolean,
): () => void {
  const releases = REQUEST_SIGNALS.map((signal) => signal.muteReceivers(selectors, appliesTo));
  return () => {
    for (const release of releases) release();
  };
}
