import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  isMessage,
  type Command,
  type CommandMessage,
  type CountsReply,
  type CpuReply,
  type HeapReply,
  type ServerVariant,
} from './protocol';

/** What each command answers. */
interface Replies {
  begin: Record<string, never>;
  end: CpuReply;
  heap: HeapReply;
  counts: CountsReply;
  close: Record<string, never>;
}

/** How long a server may take to start or to answer a command before the bench gives up on it. */
const DEADLINE_MS = 60_000;

/**
 * A bench server running in a child process (./server.ts): its URL, and its commands as
 * promises. Start several, load them in turn, then stop them.
 *
 * @example
 * const server = await ServerProcess.start('hooks');
 * await server.command('begin');
 * // ... autocannon against server.url ...
 * const { cpuFraction } = await server.command('end');
 * await server.stop();
 */
export class ServerProcess<Variant extends ServerVariant = ServerVariant> {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(reply: unknown): void; reject(error: Error): void }>();
  private exited: Error | null = null;

  private constructor(
    readonly variant: Variant,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: unknown) => {
      if (!isMessage(message, 'reply')) return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(`bench server ${variant}: ${message.error}`));
      else waiting?.resolve(message.reply);
    });
    child.on('exit', (code, signal) => {
      this.exited = new Error(`bench server ${variant} exited (code ${code}, signal ${signal})`);
      for (const waiting of this.pending.values()) waiting.reject(this.exited);
      this.pending.clear();
    });
  }

  /** Forks the server script with `--expose-gc` (for heap checks) and waits until it listens. */
  static start<Variant extends ServerVariant>(variant: Variant): Promise<ServerProcess<Variant>> {
    const child = fork(join(__dirname, 'server.js'), [variant], { execArgv: ['--expose-gc'], stdio: 'inherit' });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`bench server ${variant} did not start within ${DEADLINE_MS / 1000} s`));
      }, DEADLINE_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bench server ${variant} exited with code ${code} before listening`));
      });
      child.on('message', function onReady(message: unknown) {
        if (!isMessage(message, 'ready')) return;
        clearTimeout(timer);
        child.off('message', onReady);
        child.removeAllListeners('exit');
        resolve(new ServerProcess(variant, `http://127.0.0.1:${message.port}`, child));
      });
    });
  }

  /** Sends a command and resolves with the server's answer. */
  command<C extends Command>(command: C): Promise<Replies[C]> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<Replies[C]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`bench server ${this.variant} did not answer "${command}" within ${DEADLINE_MS / 1000} s`));
      }, DEADLINE_MS);
      this.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply as Replies[C]);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ type: 'command', id, command } satisfies CommandMessage);
    });
  }

  /** Closes the app and waits for the process to end; kills it if it does not answer. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const ended = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.command('close');
    } catch {
      this.child.kill();
    }
    await ended;
  }
}
