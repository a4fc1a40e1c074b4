import { Writable } from 'node:stream';

/**
 * One line of pino's JSON output, parsed (`level`, `msg`, `reqId` and the logged fields).
 *
 * @example
 * const failures = lines.filter((line: LogLine) => line.level === 50);
 */
export type LogLine = Record<string, unknown>;

/**
 * A Fastify `logger` option whose output is parsed and kept, one object per JSON line, so a test
 * reads what was logged instead of scraping a terminal. `level` is pino's minimum level.
 *
 * @example
 * const { logger, lines } = capturedLogs('warn');
 * const app = Fastify({ logger });
 * await app.inject('/');
 * expect(lines.filter((line) => line.level === 40)).toEqual([]);
 */
export function capturedLogs(level: 'info' | 'warn' = 'info'): {
  logger: { level: string; stream: Writable };
  lines: LogLine[];
} {
  const lines: LogLine[] = [];
  const stream = new Writable({
    // pino writes each log line whole, in one write.
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: { level, stream }, lines };
}
