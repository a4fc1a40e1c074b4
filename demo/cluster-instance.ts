/**
 * One instance of the cluster demo, in its own process (forked by ./cluster.ts): the demo app
 * with a Redis bridge, its panel showing the whole cluster, its own traffic, and now and then an
 * order placed and a setting changed. Env: PORT, REDIS_URL, INSTANCE_ID, TRAFFIC_MS (0: none).
 * Tells the parent `{ listening: url }` over IPC; stops on SIGTERM or when the parent goes.
 */
import { redisBridge } from '../lib/redis';
import { startDemo } from './app';

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const instanceId = process.env.INSTANCE_ID ?? `demo-${port}`;
  const trafficMs = Number(process.env.TRAFFIC_MS ?? 400);
  const bridge = await redisBridge({ url: process.env.REDIS_URL, instanceId, namespace: 'rx-signals-demo' });
  const demo = await startDemo({
    port,
    traffic: trafficMs > 0,
    trafficIntervalMs: trafficMs || 400,
    bridge,
    logger: { level: process.env.DEMO_LOG_LEVEL ?? 'info' },
  });
  let tick = 0;
  const cluster =
    trafficMs > 0
      ? setInterval(() => {
          tick++;
          fetch(`${demo.url}/orders`, { method: 'POST' }).catch(() => {});
          if (tick % 5 === 0) {
            const body = JSON.stringify({ value: tick });
            fetch(`${demo.url}/settings/cacheTtl`, {
              method: 'POST',
              body,
              headers: { 'content-type': 'application/json' },
            }).catch(() => {});
          }
        }, trafficMs * 2)
      : null;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (cluster !== null) clearInterval(cluster);
    await demo.close();
    await bridge.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  process.send?.({ listening: demo.url });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
