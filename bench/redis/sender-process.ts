/**
 * The sending instance of the broadcast throughput bench, in its own process: either a bridge
 * (`signal.send` with a broadcast relay) or raw node-redis (`PUBLISH` of the JSON). Sends in
 * chunks with a turn of the event loop between them, the same way in both modes.
 *
 * Messages in: { go: true } sends, then answers { sent: count }; { close: true } exits.
 * Started by ./suite.ts with: <mode> <JSON config>.
 */
import { createClient } from 'redis';
import { Signal } from '../../lib/core';
import { redisBridge } from '../../lib/redis';
import { PAYLOAD, type SenderConfig } from './payload';

const [mode, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson) as SenderConfig;
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  let send: () => void;
  let close: () => Promise<unknown>;
  if (mode === 'bridge') {
    const bridge = await redisBridge({ url: config.url, namespace: config.namespace, outboxSize: config.count });
    const signal = new Signal<typeof PAYLOAD>(config.signal);
    bridge.broadcast(signal);
    await bridge.ready();
    send = () => signal.send(bridge, PAYLOAD);
    close = () => bridge.close();
  } else {
    const client = createClient({ url: config.url });
    await client.connect();
    const channel = config.channel;
    send = () => void client.publish(channel, JSON.stringify(PAYLOAD)).catch(() => {});
    close = () => client.close();
  }
  process.on('message', async (message: { go?: true; close?: true }) => {
    if (message.go) {
      for (let sent = 0; sent < config.count;) {
        for (const end = Math.min(sent + config.chunk, config.count); sent < end; sent++) send();
        await turn();
      }
      process.send!({ sent: config.count });
    }
    if (message.close) {
      await close();
      process.disconnect();
    }
  });
  process.send!({ ready: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
