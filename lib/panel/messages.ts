import type { PanelMessages } from './protocol';

/**
 * One Server-Sent Events message of the protocol, its payload typed by its name. JSON never
 * holds a raw newline, so one `data:` line suffices.
 *
 * @example
 * stream.write(sseMessage('errors', []));
 * @internal
 */
export function sseMessage<K extends keyof PanelMessages>(name: K, data: PanelMessages[K]): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
