/** The requests the demo's own traffic cycles through: mostly fine, some slow, some failing. */
const CYCLE = [
  '/ok',
  '/items/1',
  '/ok',
  '/slow',
  '/ok',
  '/fail',
  '/items/2',
  '/stream',
  '/ok',
  '/nowhere', // no such route: a 404
  '/items/3',
  '/ok',
] as const;

/**
 * A running traffic loop.
 *
 * @example
 * const traffic = driveTraffic(url, 400);
 * console.log(traffic.sent);
 * await traffic.stop();
 */
export interface Traffic {
  /** How many requests it has sent. */
  readonly sent: number;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * Sends light, varied traffic to `baseUrl` (one request every `intervalMs`, over real HTTP) so
 * the panel has something to show within seconds. Failures of its own requests (a 500 from
 * `/fail`, a refused connection while the app closes) are expected and ignored.
 *
 * @example
 * const traffic = driveTraffic('http://127.0.0.1:3000', 400);
 * await traffic.stop();
 */
export function driveTraffic(baseUrl: string, intervalMs: number): Traffic {
  let sent = 0;
  let next = 0;
  const inFlight = new Set<Promise<void>>();
  const tick = () => {
    const path = CYCLE[next++ % CYCLE.length];
    sent++;
    const request = fetch(baseUrl + path)
      .then((response) => response.arrayBuffer())
      .then(
        () => undefined,
        () => undefined, // the demo's own traffic: a refused or reset request is not news
      );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    get sent() {
      return sent;
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}
