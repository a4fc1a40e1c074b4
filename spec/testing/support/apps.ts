import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyView from '@fastify/view';
import handlebars from 'handlebars';

/** The handlebars templates of these specs. */
export const VIEWS = { engine: { handlebars }, root: path.join(__dirname, '..', 'views') };

/** A Fastify app without logs, closed by the caller. */
export function quietApp(): FastifyInstance {
  return Fastify({ logger: false });
}

export { fastifyView };

/** A promise with its resolve function, to hold a handler at a chosen point. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
