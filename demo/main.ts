/**
 * `npm run demo`: the rx-signals demo on http://127.0.0.1:3000 (port from env PORT), sending
 * itself light traffic so the signals panel moves within seconds. Turn the traffic off with
 * `npm run demo -- --no-traffic` or env `DEMO_TRAFFIC=off`.
 */
import { startDemo } from './app';
import { demoConfig } from './config';

async function main(): Promise<void> {
  const { port, traffic } = demoConfig(process.argv.slice(2), process.env);
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
