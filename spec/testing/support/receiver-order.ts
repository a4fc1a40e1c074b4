import type { FastifyInstance } from 'fastify';
import { requestFinished, requestStarted } from '../../../lib';

/**
 * The names of the receivers of the app's requestStarted and requestFinished, in connection
 * order: equal before and after shows that nothing was disconnected or moved.
 *
 * @example
 * const before = receiverOrder(app);
 * await client.get('/');
 * expect(receiverOrder(app)).toEqual(before);
 */
export function receiverOrder(app: FastifyInstance): string[][] {
  return [requestStarted, requestFinished].map((signal) =>
    signal
      .receivers()
      .filter((info) => info.sender === app)
      .map((info) => info.name),
  );
}
