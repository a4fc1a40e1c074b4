import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { RedisServer } from './redis-server';

/**
 * Options of {@link startCluster}.
 *
 * @example
 * const cluster = await startCluster({ instances: 3, basePort: 3000 });
 */
export interface ClusterOptions {
  /** How many instances (processes). */
  readonly instances: number;
  /**
   * The first instance listens here, the next ones on the ports after it; 0: each on a port the
   * system picks (what tests want: consecutive ports may be taken by then).
   */
  readonly basePort: number;
  /** A Redis to use; default: a private redis-server on a free port, stopped with the cluster. */
  readonly redisUrl?: string;
  /** Each instance's own traffic: one request every this many ms (0: none). Default 400. */
  readonly trafficMs?: number;
  /** The compiled instance script (./cluster-instance.js beside this file by default). */
  readonly instanceScript?: string;
  /** Extra environment of the instances. */
  readonly env?: Readonly<Record<string, string>>;
  /** Gets what the instances write on stderr (default: the demo's own stderr). */
  readonly onStderr?: (text: string) => void;
}

/**
 * A running cluster demo.
 *
 * @example
 * console.log(cluster.panelUrls[0]); // http://127.0.0.1:3000/_signals, listing all three
 */
export interface RunningCluster {
  readonly redisUrl: string;
  readonly urls: readonly string[];
  readonly panelUrls: readonly string[];
  /** Stops the instances (SIGTERM), then the private redis-server. */
  close(): Promise<void>;
}

/**
 * Starts the cluster demo: a private redis-server (unless `redisUrl` is given) and `instances`
 * processes of ./cluster-instance.ts on consecutive ports.
 *
 * @example
 * const cluster = await startCluster({ instances: 3, basePort: 3000, redisUrl: process.env.REDIS_URL });
 * await cluster.close();
 */
export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const server = options.redisUrl === undefined ? await RedisServer.start() : null;
  const redisUrl = options.redisUrl ?? server!.url;
  const children: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(children.map(stopChild));
    await server?.stop();
  };
  try {
    const urls: string[] = [];
    for (let i = 0; i < options.instances; i++) {
      const child = fork(options.instanceScript ?? join(__dirname, 'cluster-instance.js'), [], {
        env: {
          ...process.env,
          ...options.env,
          PORT: String(options.basePort === 0 ? 0 : options.basePort + i),
          REDIS_URL: redisUrl,
          INSTANCE_ID: `demo-${i + 1}`,
          TRAFFIC_MS: String(options.trafficMs ?? 400),
        },
        stdio: ['ignore', 'inherit', options.onStderr ? 'pipe' : 'inherit', 'ipc'],
      });
      if (options.onStderr) child.stderr!.on('data', (chunk: Buffer) => options.onStderr!(chunk.toString()));
      children.push(child);
      urls.push(await listening(child, i + 1));
    }
    return { redisUrl, urls, panelUrls: urls.map((url) => `${url}/_signals`), close };
  } catch (error) {
    await close();
    throw error;
  }
}

function listening(child: ChildProcess, index: number): Promise<string> {
  return new Promise((resolve, reject) => {
    child.on('message', (message: { listening?: string }) => {
      if (typeof message.listening === 'string') resolve(message.listening);
    });
    child.once('exit', (code) =>
      reject(new Error(`cluster demo: instance ${index} exited (code ${code}) before listening`)),
    );
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Reads `--cluster N` off the demo's arguments: N (1 to 16), and the arguments left.
 *
 * @example
 * clusterArgs(['--cluster', '3']); // { instances: 3, rest: [] }
 * clusterArgs([]);                 // { instances: 0, rest: [] }
 */
export function clusterArgs(argv: readonly string[]): { instances: number; rest: string[] } {
  const at = argv.indexOf('--cluster');
  if (at < 0) return { instances: 0, rest: [...argv] };
  const value = argv[at + 1];
  const instances = Number(value);
  if (!/^\d+$/.test(value ?? '') || instances < 1 || instances > 16) {
    throw new TypeError(
      `demo: --cluster takes a number of instances from 1 to 16, got ${value === undefined ? 'nothing' : `"${value}"`}. For example npm run demo -- --cluster 3.`,
    );
  }
  return { instances, rest: argv.filter((_, i) => i !== at && i !== at + 1) };
}
