import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyView from '@fastify/view';
import handlebars from 'handlebars';
import type { DemoDatabase } from './database';

/**
 * The templates: beside this file when run from source (ts-jest), else in the project's `demo`
 * folder (`npm run demo` and the cluster's instances run compiled copies, from the project root).
 */
const VIEWS_ROOT = [join(__dirname, 'views'), join(process.cwd(), 'demo', 'views')].find((folder) =>
  existsSync(join(folder, 'users.hbs')),
);

/**
 * The demo's pages over its database, the seed scenario's routes (Django's list view and a form
 * that redirects after POST):
 * - `GET /users`: renders `users.hbs` with `{ users }`, the rows of the users table.
 * - `POST /users` with a `name` (JSON, or the page's form): inserts a user, then redirects (302)
 *   to `/users`.
 *
 * @example
 * await registerUserPages(app, db);
 * await app.inject({ method: 'POST', url: '/users', payload: { name: 'ada' } }); // 302 → /users
 */
export async function registerUserPages(app: FastifyInstance, db: DemoDatabase): Promise<void> {
  if (VIEWS_ROOT === undefined)
    throw new Error(`demo: the templates (demo/views) are neither next to ${__dirname} nor under ${process.cwd()}.`);
  await app.register(fastifyView, { engine: { handlebars }, root: VIEWS_ROOT });
  // The page's form posts url-encoded fields (a small parser: no dependency for one form).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.get('/users', (_request, reply) => reply.view('users.hbs', { users: db.rows('users') }));
  app.post<{ Body: { name: string } }>(
    '/users',
    {
      schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
    },
    async (request, reply) => {
      db.insert('users', { name: request.body.name });
      return reply.redirect('/users');
    },
  );
}
