/** Instances in their own processes (see instance-child.js): start, message, SIGKILL. */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileLib } from '../../core/support/compile-lib';

const CHILD = join(__dirname, 'instance-child.js');
const NODE_MODULES = resolve(__dirname, '../../../node_modules');

/** Compiles lib/ (core and redis) once for the child processes; returns the directory and its cleanup. */
export function compiledLib(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rx-signals-redis-lib-'));
  compileLib(['core/signal', 'redis/index'], dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ChildConfig {
  url: string;
  instanceId: string;
  namespace: string;
  signal: string;
  mode: 'broadcast' | 'member';
  group?: string;
  claimIdleMs?: number;
  hang?: boolean;
  /** Broadcast mode: the receiver blocks the process this long on the first event. */
  slowFirstMs?: number;
}

type Message = {
  ready?: true;
  sent?: number;
  handled?: { n: number; attempt: number };
  report?: ChildReport;
  closed?: true;
};
export interface ChildReport {
  received: { origin: string; n: number }[];
  gaps: { reason: string; origin?: string; lost?: number }[];
  errors: { kind: string }[];
}

/** One instance process. */
export class InstanceProcess {
  readonly handled: { n: number; attempt: number }[] = [];
  private readonly waiters: ((message: Message) => boolean)[] = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: Message) => {
      if (message.handled) this.handled.push(message.handled);
      for (const waiter of [...this.waiters]) if (waiter(message)) this.waiters.splice(this.waiters.indexOf(waiter), 1);
    });
  }

  static async start(libDir: string, config: ChildConfig): Promise<InstanceProcess> {
    const child = fork(CHILD, [libDir, JSON.stringify(config)], {
      env: { ...process.env, NODE_PATH: NODE_MODULES },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const instance = new InstanceProcess(child);
    await instance.next((m) => m.ready === true, 'ready');
    return instance;
  }

  send(from: number, to: number): Promise<unknown> {
    this.child.send({ send: [from, to] });
    return this.next((m) => m.sent === to, 'sent');
  }

  async report(): Promise<ChildReport> {
    const reply = this.next((m) => m.report !== undefined, 'report');
    this.child.send({ report: true });
    return (await reply).report!;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.send({ close: true });
    await exited;
  }

  /** SIGKILL: no close(), nothing acked or flushed. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGKILL');
    await exited;
  }

  private next(match: (message: Message) => boolean, what: string, timeoutMs = 15_000): Promise<Message> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`child: no ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((message) => {
        if (!match(message)) return false;
        clearTimeout(timer);
        resolvePromise(message);
        return true;
      });
    });
  }
}
