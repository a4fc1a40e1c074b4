/**
 * How `npm run demo` was asked to run.
 *
 * @example
 * const { port, traffic } = demoConfig(process.argv.slice(2), process.env);
 */
export interface DemoConfig {
  /** Port on 127.0.0.1 (env `PORT`, default 3000; 0 picks a free one). */
  readonly port: number;
  /** Whether the demo sends itself traffic (default yes; `--no-traffic` or `DEMO_TRAFFIC=off` turn it off). */
  readonly traffic: boolean;
}

/**
 * Reads the demo's settings from its command line and environment.
 *
 * @example
 * demoConfig(['--no-traffic'], { PORT: '3001' }); // { port: 3001, traffic: false }
 */
export function demoConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): DemoConfig {
  const unknown = argv.filter((arg) => arg !== '--no-traffic');
  if (unknown.length > 0) {
    throw new TypeError(
      `demo: unknown argument "${unknown[0]}". The only one is --no-traffic (or set DEMO_TRAFFIC=off).`,
    );
  }
  const trafficEnv = env.DEMO_TRAFFIC;
  if (trafficEnv !== undefined && trafficEnv !== '' && trafficEnv !== 'on' && trafficEnv !== 'off') {
    throw new TypeError(`demo: DEMO_TRAFFIC must be "on" or "off", got "${trafficEnv}".`);
  }
  return {
    port: portFrom(env.PORT),
    traffic: !argv.includes('--no-traffic') && trafficEnv !== 'off',
  };
}

function portFrom(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new TypeError(
      `demo: PORT must be a whole number from 0 to 65535, got "${value}". For example PORT=3001 npm run demo.`,
    );
  }
  return port;
}
