import { createClient, RESP_TYPES, type RedisClientType } from 'redis';
import type { Reports } from './reports';
import { safeText } from './reports';

/**
 * The node-redis client the bridge works with (what `createClient()` of `redis` 5 returns).
 *
 * @example
 * const client: BridgeRedisClient = createClient({ url: process.env.REDIS_URL });
 * await client.connect();
 * const bridge = await redisBridge({ client }); // close() leaves this client open
 */
export type BridgeRedisClient = RedisClientType;

/** A client whose replies keep bulk strings as Buffers (binary payloads cross intact). @internal */
export type BufferClient = ReturnType<typeof withBuffers>;

/** How long `redisBridge()` may take to reach Redis before it gives up. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens the bridge's own client on `url`. Unreachable: rejects at once (refused) or after
 * {@link CONNECT_TIMEOUT_MS}, naming the URL (its password hidden). Once connected, it
 * reconnects with a short backoff for as long as the bridge lives.
 * @internal
 */
export async function openClient(url: string | undefined): Promise<BridgeRedisClient> {
  let connected = false;
  const client: BridgeRedisClient = createClient({
    url,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number) => (connected ? Math.min(retries * 50, 500) : false),
    },
  });
  client.on('error', () => {}); // reported below, or by the bridge's listener once connected
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    destroyQuietly(client);
    // node-redis wraps the socket's error (ECONNREFUSED, ...) as the cause: name that one.
    const reason = (error as { cause?: unknown } | null)?.cause ?? error;
    throw new Error(
      `redisBridge(): cannot reach Redis at ${redactUrl(url ?? 'redis://localhost:6379')}: ${safeText(reason)}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
  }
  connected = true;
  return client;
}

/**
 * A second connection like `client` (for Pub/Sub or blocking reads, which hold a connection),
 * reporting its errors once per outage.
 * @internal
 */
export async function openDuplicate(
  client: BridgeRedisClient,
  reports: Reports,
  role: string,
): Promise<BridgeRedisClient> {
  const duplicate = client.duplicate();
  reportErrors(duplicate, reports, role);
  await duplicate.connect();
  return duplicate;
}

/** Reports a client's errors on `errors$` (kind `redis`), once per outage, never as a crash. @internal */
export function reportErrors(client: BridgeRedisClient, reports: Reports, role: string): void {
  let reported = false;
  client.on('error', (error: unknown) => {
    if (reported) return;
    reported = true;
    reports.error({ kind: 'redis', error: new Error(`${role} connection: ${safeText(error)}`, { cause: error }) });
  });
  client.on('ready', () => {
    reported = false;
  });
}

/** The same connection, with bulk string replies as Buffers. @internal */
export function withBuffers(client: BridgeRedisClient) {
  return client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
}

/** `redis://user:secret@host` → `redis://user:***@host`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Closes a connection the bridge made, fast: what it still waits for is abandoned. @internal */
export function destroyQuietly(client: BridgeRedisClient | null | undefined): void {
  try {
    if (client?.isOpen) client.destroy();
  } catch {
    // already closed
  }
}
