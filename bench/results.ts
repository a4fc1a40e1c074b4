import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where raw results go: `bench/results/` of the repository (gitignored).
 *
 * @example
 * JSON.parse(readFileSync(join(RESULTS_DIR, 'latest.json'), 'utf8'));
 */
export const RESULTS_DIR = resolve(__dirname, '..', '..', 'bench', 'results');

/**
 * The machine a run was taken on, stored with its figures.
 *
 * @example
 * const { cores, loadAverage }: MachineInfo = machineInfo();
 */
export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cores: number;
  /** The 1, 5 and 15 minute load averages at the start: a busy machine explains noisy figures. */
  readonly loadAverage: readonly number[];
}

/**
 * The machine the bench runs on.
 *
 * @example
 * machineInfo().cores; // 2
 */
export function machineInfo(): MachineInfo {
  const processors = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: processors[0]?.model ?? 'unknown',
    cores: processors.length,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/**
 * Writes one run's raw results as JSON, under a timestamped name and as `latest.json`, and
 * returns the timestamped path. NaN (a figure not measured) is written as null.
 *
 * @example
 * const path = writeResults({ machine: machineInfo(), micro });
 */
export function writeResults(results: object, now = new Date()): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = JSON.stringify(
    results,
    (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value),
    2,
  );
  const path = join(RESULTS_DIR, `bench-${now.toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(path, `${json}\n`);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${json}\n`);
  return path;
}
