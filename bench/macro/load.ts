import autocannon from 'autocannon';

/**
 * How to load a server: for a duration, or until an amount of requests is answered.
 *
 * @example
 * const options: LoadOptions = { connections: 50, amount: 120_000, paths: ['/', '/fail'] };
 */
export interface LoadOptions {
  readonly connections: number;
  readonly seconds?: number;
  readonly amount?: number;
  /** Paths requested in turn on each connection (default: `/` only). */
  readonly paths?: readonly string[];
}

/**
 * What one load run saw from the client side.
 *
 * @example
 * const { requestsPerSecond, byStatus }: LoadResult = await loadServer(url, { connections: 50, seconds: 4 });
 */
export interface LoadResult {
  /** Responses received, whatever their status. */
  readonly responses: number;
  /** Responses by HTTP status code. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly timeouts: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
}

/**
 * Loads a server with autocannon (programmatic API, HTTP/1.1 keep-alive, no pipelining) and
 * returns what came back. The caller decides whether errors make the run worthless.
 *
 * @example
 * const { requestsPerSecond } = await loadServer('http://127.0.0.1:3000', { connections: 50, seconds: 4 });
 */
export async function loadServer(url: string, options: LoadOptions): Promise<LoadResult> {
  if ((options.seconds === undefined) === (options.amount === undefined)) {
    throw new TypeError('loadServer(url, options): give exactly one of options.seconds and options.amount.');
  }
  const result = await autocannon({
    url,
    connections: options.connections,
    pipelining: 1,
    ...(options.seconds !== undefined ? { duration: options.seconds } : { amount: options.amount }),
    ...(options.paths ? { requests: options.paths.map((path) => ({ method: 'GET' as const, path })) } : {}),
  });
  const byStatus: Record<string, number> = {};
  let responses = 0;
  for (const [status, { count = 0 } = {}] of Object.entries(result.statusCodeStats ?? {})) {
    byStatus[status] = count;
    responses += count;
  }
  return {
    responses,
    byStatus,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    requestsPerSecond: responses / result.duration,
  };
}
