import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { DemoDatabase } from './database';

/**
 * Options of {@link registerDemoRoutes}.
 *
 * @example
 * registerDemoRoutes(app, db, { slowMs: 800, chunkGapMs: 150 });
 */
export interface DemoRouteOptions {
  /** How long `/slow` takes, in milliseconds. */
  slowMs: number;
  /** The gap between two chunks of `/stream`, in milliseconds (it sends 5). */
  chunkGapMs: number;
}

/**
 * The demo's routes: one of each kind the signals tell apart.
 * - `GET /ok`: answers at once (reads the demo database).
 * - `GET /items/:id`: a route with a parameter (the panel shows the pattern, never the id).
 * - `GET /slow`: answers after `slowMs`, to trip the slow-request alert.
 * - `GET /fail`: throws, so `gotRequestException` fires and the request finishes `errored`.
 * - `GET /stream`: streams five chunks; `requestFinished` comes after the last one.
 *
 * @example
 * registerDemoRoutes(app, db, { slowMs: 700, chunkGapMs: 150 });
 */
export function registerDemoRoutes(app: FastifyInstance, db: DemoDatabase, options: DemoRouteOptions): void {
  app.get('/', async (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(
        'rx-signals demo\n\n' +
          'Routes: GET /ok, GET /items/:id, GET /slow, GET /fail, GET /stream\n' +
          'Signals panel: /_signals\n',
      ),
  );

  app.get('/ok', async () => ({ ok: true, visits: db.rows('visits').length }));

  app.get<{ Params: { id: string } }>('/items/:id', async (request) => {
    db.insert('visits', { item: request.params.id });
    return { id: request.params.id };
  });

  app.get('/slow', async () => {
    await sleep(options.slowMs);
    return { slow: true, tookMs: options.slowMs };
  });

  app.get('/fail', async () => {
    throw new Error('The demo /fail route always fails');
  });

  app.get('/stream', async (_request, reply) => {
    const gap = options.chunkGapMs;
    async function* chunks() {
      for (let i = 1; i <= 5; i++) {
        yield `chunk ${i} of 5\n`;
        if (i < 5) await sleep(gap);
      }
    }
    return reply.type('text/plain; charset=utf-8').send(Readable.from(chunks()));
  });
}
