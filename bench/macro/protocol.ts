/**
 * The messages between the bench (parent) and a bench server (forked child), over Node's IPC
 * channel. The child announces itself with `ready`; the parent then sends commands, each
 * answered by a reply with the same `id`.
 */

/**
 * The servers the macro bench compares, in the order of the alternation (A B C D, A B C D, ...).
 *
 * @example
 * for (const variant of MACRO_VARIANTS) servers.push(await ServerProcess.start(variant));
 */
export const MACRO_VARIANTS = ['plain', 'hooks', 'plugin-idle', 'plugin-busy', 'panel-open'] as const;

/**
 * One of the servers the macro bench compares.
 *
 * @example
 * const reference: MacroVariant = 'hooks';
 */
export type MacroVariant = (typeof MACRO_VARIANTS)[number];

/**
 * Every server the child script can build: the macro variants and the soak server.
 *
 * @example
 * const server = await ServerProcess.start<ServerVariant>('soak');
 */
export type ServerVariant = MacroVariant | 'soak';

/**
 * Sent once by the child when it listens.
 *
 * @example
 * process.send?.({ type: 'ready', port: 43117 } satisfies ReadyMessage);
 */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly port: number;
}

/**
 * What the parent can ask:
 * - `begin` / `end`: bracket a load run; `end` answers with the CPU the server used meanwhile,
 *   which tells whether the server (and not the load generator) was the bottleneck;
 * - `heap`: the live heap after full garbage collections;
 * - `counts`: the server's own counters (requests seen by its receivers);
 * - `close`: close the app, then the process exits.
 *
 * @example
 * const { heapUsed } = await server.command('heap');
 */
export type Command = 'begin' | 'end' | 'heap' | 'counts' | 'close';

/**
 * A command from the parent; the child answers with a {@link ReplyMessage} of the same `id`.
 *
 * @example
 * child.send({ type: 'command', id: 7, command: 'counts' } satisfies CommandMessage);
 */
export interface CommandMessage {
  readonly type: 'command';
  readonly id: number;
  readonly command: Command;
}

/**
 * What `end` answers.
 *
 * @example
 * const { cpuFraction }: CpuReply = await server.command('end'); // 0.98: the server was saturated
 */
export interface CpuReply {
  /** Server CPU time (user + system) over wall time since `begin`: about 1 when the server is saturated. */
  readonly cpuFraction: number;
  /** The kernel's part of that CPU time (system calls: reading requests, writing responses), in seconds. */
  readonly systemSeconds: number;
  readonly wallSeconds: number;
}

/**
 * What `heap` answers.
 *
 * @example
 * const { heapUsed }: HeapReply = await server.command('heap');
 */
export interface HeapReply {
  readonly heapUsed: number;
}

/**
 * What `counts` answers: counters kept by the server's receivers, by name.
 *
 * @example
 * const { started, finished }: CountsReply = await server.command('counts');
 */
export type CountsReply = Readonly<Record<string, number>>;

/**
 * The child's answer to one command: its reply, or the error it failed with.
 *
 * @example
 * send({ type: 'reply', id: message.id, reply: { heapUsed: 10_485_760 } } satisfies ReplyMessage);
 */
export interface ReplyMessage {
  readonly type: 'reply';
  readonly id: number;
  readonly reply?: CpuReply | HeapReply | CountsReply | Record<string, never>;
  /** Set when the command failed in the child. */
  readonly error?: string;
}

/**
 * True when `value` is a message of the given type (IPC messages arrive untyped).
 *
 * @example
 * child.on('message', (message) => { if (isMessage(message, 'ready')) use(message.port); });
 */
export function isMessage<T extends 'ready' | 'command' | 'reply'>(
  value: unknown,
  type: T,
): value is Extract<ReadyMessage | CommandMessage | ReplyMessage, { type: T }> {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}
