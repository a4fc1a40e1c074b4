'use strict';
/**
 * One app instance in its own process, for the Redis suites that need real processes (a member
 * killed with SIGKILL, a broadcast between processes). Driven over the IPC channel of `fork`.
 *
 * Usage: fork(instance-child.js, [<compiled lib dir>, <JSON config>]) with NODE_PATH set to the
 * repo's node_modules (spawned by instance-process.ts, which compiles lib/ for it).
 * Config: { url, instanceId, namespace, signal, mode: 'broadcast' | 'member', group?, claimIdleMs?, hang?, slowFirstMs? }
 * Messages in: { send: [from, to] } sends n = from..to; { report: true } answers { report }.
 * Messages out: { ready: true }, { handled: { n, attempt } } (members), { report: { received, gaps, errors } }.
 */
const path = require('node:path');

const [libDir, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const { Signal } = require(path.join(libDir, 'core', 'signal.js'));
const { redisBridge, isRemoteSender } = require(path.join(libDir, 'redis', 'index.js'));

(async () => {
  const bridge = await redisBridge({ url: config.url, instanceId: config.instanceId, namespace: config.namespace });
  const signal = new Signal(config.signal);
  const received = [];
  const gaps = [];
  const errors = [];
  bridge.gaps$.subscribe((gap) => gaps.push(gap));
  bridge.errors$.subscribe((error) => errors.push({ kind: error.kind, signal: error.signal }));
  if (config.mode === 'broadcast') {
    let slow = config.slowFirstMs ?? 0;
    signal.connect(({ sender, n }) => {
      if (isRemoteSender(sender)) received.push({ origin: sender.instanceId, n });
      const until = Date.now() + slow; // a subscriber that stops reading for a while
      slow = 0;
      while (Date.now() < until);
    });
    bridge.broadcast(signal);
  } else {
    bridge.connect(
      signal,
      (event) => {
        const { attempt } = bridge.deliveryOf(event);
        process.send({ handled: { n: event.n, attempt } });
        return config.hang ? new Promise(() => {}) : undefined;
      },
      { group: config.group, claimIdleMs: config.claimIdleMs ?? 30_000 },
    );
  }
  await bridge.ready();
  process.on('message', async (message) => {
    if (message.send) {
      const [from, to] = message.send;
      for (let n = from; n <= to; n++) signal.send(bridge, { n });
      process.send({ sent: to });
    }
    if (message.report) process.send({ report: { received, gaps, errors } });
    if (message.close) {
      await bridge.close();
      process.send({ closed: true });
      process.disconnect();
    }
  });
  process.send({ ready: true });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
