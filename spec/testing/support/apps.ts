import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyView from '@fastify/view';
import handlebars from 'handlebars';

/**
 * The handlebars templates of these specs.
 *
 * @example
 * await app.register(fastifyView, VIEWS);
 */
export const VIEWS = { engine: { handlebars }, root: path.join(__dirname, '..', 'views') };

/**
 * A Fastify app without logs, closed by the caller.
 *
 * @example
 * const app = quietApp();
 * await app.register(signalsPlugin);
 */
export function quietApp(): FastifyInstance {
  return Fastify({ logger: false });
}

export { fastifyView };
