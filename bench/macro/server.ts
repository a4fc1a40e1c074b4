/**
 * A bench server, run in its own process (`fork`ed by the macro bench) so that the load generator
 * and the server never share an event loop. Usage: `node --expose-gc server.js <variant>`; it
 * listens on 127.0.0.1 on a free port, says `ready` over IPC, then answers the parent's commands
 * (see ./protocol.ts) until told to close.
 *
 * @example
 * // fork(require.resolve('./server'), ['hooks'], { execArgv: ['--expose-gc'] })
 */
import { keepTickObjectMaps } from '../../lib/fastify/tick-object-maps';
import { settledHeapUsed } from '../heap';
import { buildBenchApp } from './apps';
import { isMessage, type CommandMessage, type CpuReply, type ReplyMessage, type ServerVariant } from './protocol';

async function serve(variant: ServerVariant): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new TypeError('bench server: start it with child_process.fork (it talks to the bench over IPC).');
  // In every variant, not only those with the plugin (which does it): the ratios then compare
  // what the servers do, not whether V8 put one of them on nextTick's slow path (docs/benchmarks.md).
  keepTickObjectMaps();
  const { app, counts } = await buildBenchApp(variant);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('bench server: not listening on a TCP port.');

  let cpuAtBegin = process.cpuUsage();
  let wallAtBegin = process.hrtime.bigint();
  const answer = async (message: CommandMessage): Promise<ReplyMessage['reply']> => {
    switch (message.command) {
      case 'begin':
        cpuAtBegin = process.cpuUsage();
        wallAtBegin = process.hrtime.bigint();
        return {};
      case 'end': {
        const cpu = process.cpuUsage(cpuAtBegin);
        const wallSeconds = Number(process.hrtime.bigint() - wallAtBegin) / 1e9;
        const reply: CpuReply = {
          cpuFraction: (cpu.user + cpu.system) / 1e6 / wallSeconds,
          systemSeconds: cpu.system / 1e6,
          wallSeconds,
        };
        return reply;
      }
      case 'heap':
        return { heapUsed: await settledHeapUsed() };
      case 'counts':
        return counts();
      case 'close':
        await app.close();
        return {};
    }
  };
  process.on('message', (message: unknown) => {
    if (!isMessage(message, 'command')) return;
    answer(message).then(
      (reply) => {
        send({ type: 'reply', id: message.id, reply } satisfies ReplyMessage);
        if (message.command === 'close') process.disconnect();
      },
      (error: unknown) => send({ type: 'reply', id: message.id, error: String(error) } satisfies ReplyMessage),
    );
  });
  // Parent gone (closed us, finished, or crashed): never linger as an orphan holding a port.
  process.on('disconnect', () => {
    app.close().finally(() => process.exit(0));
  });
  send({ type: 'ready', port: address.port });
}

serve(process.argv[2] as ServerVariant).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
