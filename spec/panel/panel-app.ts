import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { signalsPanel, signalsPlugin, type SignalsPanelOptions } from '../../lib';
import type { EventStreamClient } from './event-stream-client';

/**
 * A real app on 127.0.0.1 with the plugin, the panel (pages updated every 20 ms unless the
 * options say otherwise) and the routes `addRoutes` declares.
 */
export async function startPanelApp(
  panelOptions: SignalsPanelOptions,
  addRoutes: (app: FastifyInstance) => void,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await app.register(signalsPlugin);
  await app.register(signalsPanel, { updateIntervalMs: 20, ...panelOptions });
  addRoutes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** After each test: hangs up the event streams it opened (`streams`) and closes its app, if any. */
export function cleanUpAfterEach(streams: EventStreamClient[], app: () => FastifyInstance | undefined): void {
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await app()?.close();
  });
}
