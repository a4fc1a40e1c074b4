/**
 * A private `redis-server` process: on a free port of 127.0.0.1, in its own temporary directory,
 * started and stopped by its owner (never the machine's service). The cluster demo runs one;
 * the Redis specs and benchmarks use the same launcher.
 *
 * @example
 * const server = await RedisServer.start({ aof: true });
 * const bridge = await redisBridge({ url: server.url });
 * await server.restart(); // SIGKILL, then the same port and directory again
 * await server.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server program (`REDIS_SERVER` overrides it). */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** True when `redis-server` can be run here. */
export function redisServerAvailable(): boolean {
  return spawnSync(REDIS_SERVER, ['--version']).status === 0;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServerOptions {
  /** Append-only file with fsync on every write: a SIGKILL loses nothing acknowledged. */
  aof?: boolean;
  /** Extra `--name value` arguments, e.g. `['--client-output-buffer-limit', 'pubsub 64kb 32kb 1']`. */
  args?: readonly string[];
}

/** One redis-server: `start()`, `kill()` (SIGKILL), `restart()` on the same port and directory, `stop()`. */
export class RedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'rx-signals-redis-'));
  private process: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Kills the server with SIGKILL (no shutdown save) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.ref(); // unreferenced while it runs; waiting for its exit must keep the process alive
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts the server again on the same port and directory (reloading the AOF, if any). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      this.options.aof ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
      '--logfile',
      '',
      '--loglevel',
      'warning',
      ...(this.options.args ?? []),
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    this.process = child;
    child.unref();
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(this.port))) {
      if (child.exitCode !== null)
        throw new Error(`redis-server exited with ${child.exitCode} (args: ${args.join(' ')})`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** True when a server on `port` answers PING with PONG (and is done loading). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(1_000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
