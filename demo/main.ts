/**
 * `npm run demo`: the rx-signals demo on http://127.0.0.1:3000 (port from env PORT), sending
 * itself light traffic so the signals panel moves within seconds. Turn the traffic off with
 * `npm run demo -- --no-traffic` or env `DEMO_TRAFFIC=off`. `npm run demo -- --cluster 3` runs three
 * instances over Redis (a private redis-server, or `REDIS_URL`) on ports 3000, 3001, 3002.
 */
import { startDemo } from './app';
import { clusterArgs, startCluster } from './cluster';
import { demoConfig } from './config';

async function main(): Promise<void> {
  const { instances, rest } = clusterArgs(process.argv.slice(2));
  const { port, traffic } = demoConfig(rest, process.env);
  if (instances > 0) return runCluster(instances, port, traffic);
  const demo = await startDemo({ port, traffic });
  process.stdout.write(
    `\nrx-signals demo listening on ${demo.url}\n` +
      `Signals panel: ${demo.panelUrl}\n` +
      (traffic
        ? 'Sending itself light traffic (turn it off with --no-traffic or DEMO_TRAFFIC=off).\n'
        : `Own traffic is off: try curl ${demo.url}/ok (also /slow, /fail, /stream).\n`) +
      'Press Ctrl+C to stop.\n\n',
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `npm run demo -- --cluster N`: N instances on consecutive ports over one Redis. */
async function runCluster(instances: number, basePort: number, traffic: boolean): Promise<void> {
  const cluster = await startCluster({
    instances,
    basePort,
    redisUrl: process.env.REDIS_URL || undefined,
    trafficMs: traffic ? 400 : 0,
  });
  process.stdout.write(
    `\nrx-signals cluster demo: ${instances} instances over Redis at ${cluster.redisUrl}` +
      `${process.env.REDIS_URL ? '' : ' (a private redis-server, stopped with the demo)'}\n` +
      cluster.urls.map((url, i) => `  demo-${i + 1}: ${url}  panel ${cluster.panelUrls[i]}\n`).join('') +
      'settingChanged is broadcast (POST /settings/:name with { "value": ... }); orderPlaced goes to the group ' +
      '"fulfilment" (POST /orders); GET /cluster tells what an instance placed, fulfilled and heard.\n' +
      'Press Ctrl+C to stop.\n\n',
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    cluster.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
