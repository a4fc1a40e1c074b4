/**
 * Real `redis-server` processes for the Redis suites (the demo's launcher, demo/redis-server.ts).
 * Locally without redis-server the suites skip with one line; under CI=true they run (and fail).
 */
import { REDIS_SERVER, redisServerAvailable } from '../../../demo/redis-server';

export { RedisServer, freePort } from '../../../demo/redis-server';

const runs = process.env.CI === 'true' || redisServerAvailable();

/** `describe` when the suite can run, `describe.skip` (with one line on the console) otherwise. */
export function describeWithRedis(name: string, body: () => void): void {
  if (runs) return describe(name, body);
  console.warn(`${name}: skipped, ${REDIS_SERVER} is missing (apt-get install -y redis-server).`);
  describe.skip(name, body);
}
