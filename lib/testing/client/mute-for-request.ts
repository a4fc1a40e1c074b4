import { gotRequestException, requestFinished, requestStarted } from '../../fastify/signals';
import type { ReceiverSelector } from '../internal/receiver-selectors';

const REQUEST_SIGNALS = [requestStarted, gotRequestException, requestFinished] as const;
const NOTHING_TO_RELEASE = () => {};

/**
 * Mutes the `selectors` receivers on the request signals for the events `appliesTo` accepts
 * (one request's) until the returned function is called. Nothing is disconnected, so every
 * receiver keeps its place; other events still reach them.
 *
 * @example
 * const unmute = muteForRequest([closeStaleConnections], (event) => clientRequests.ownerOf(event) === record);
 * @internal
 */
export function muteForRequest(
  selectors: readonly ReceiverSelector[],
  appliesTo: (event: { readonly signal: unknown; readonly request?: unknown }) => boolean,
): () => void {
  if (selectors.length === 0) return NOTHING_TO_RELEASE;
  const releases = REQUEST_SIGNALS.map((signal) => signal.muteReceivers(selectors, appliesTo));
  return () => {
    for (const release of releases) release();
  };
}
