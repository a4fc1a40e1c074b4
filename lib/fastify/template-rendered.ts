import type { FastifyInstance } from 'fastify';

/**
 * Makes `@fastify/view` renders of `app` send `templateRendered`, whichever of the two plugins
 * was registered first. Called by `signalsPlugin` at registration.
 *
 * PLACEHOLDER while the testing-toolkit work implements it: does nothing yet.
 * @internal
 */
export function instrumentViews(app: FastifyInstance): void {
  void app;
}
