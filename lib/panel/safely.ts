/**
 * `read()`, or `fallback` when reading throws: for values that came from receivers, senders or
 * other instances, which may be Proxies or have throwing getters.
 *
 * @example
 * safely(() => String(signal.name), '<unreadable name>');
 * @internal
 */
export function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
