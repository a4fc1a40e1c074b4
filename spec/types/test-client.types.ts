/**
 * Type tests: `testClient` carries the user type of `authenticate` to `options.user`, and its
 * responses type every field the signals add (no `any`).
 */
import type { FastifyInstance, FastifyRequest, LightMyRequestResponse } from 'fastify';
import type { RequestOutcome } from 'rx-signals';
import { testClient, type ClientEvent, type TestClient, type TestResponse } from 'rx-signals/testing';
import { expectTrue, type Equal } from './expect-type';

declare const app: FastifyInstance;
interface User {
  readonly name: string;
  readonly token: string;
}

// The user type comes from authenticate's parameter.
const client = testClient(app, { authenticate: (user: User) => ({ authorization: `Bearer ${user.token}` }) });
expectTrue<Equal<typeof client, TestClient<User>>>();
void client.get('/', { user: { name: 'ada', token: 't' } });
// @ts-expect-error: not a User
void client.get('/', { user: 'ada' });
// @ts-expect-error: follow is a boolean or a number of hops
void client.get('/', { follow: 'yes' });
// @ts-expect-error: the method is the call's own
void client.post('/', { method: 'GET' });
void client.request({ method: 'PATCH', url: '/', payload: { a: 1 }, follow: 3, user: { name: 'bo', token: 'u' } });
// Async authenticate is fine too; mute takes functions and dispatch uids.
testClient(app, {
  authenticate: async (user: User) => ({ 'x-user': user.name }),
  mute: [() => undefined, 'db', Symbol('uid')],
});
// @ts-expect-error: mute entries are receivers or dispatch uids
testClient(app, { mute: [42] });

async function fields(): Promise<void> {
  const response = await client.get('/');
  expectTrue<Equal<typeof response, TestResponse>>();
  const raw: LightMyRequestResponse = response; // still light-my-request's response
  void raw;
  expectTrue<Equal<typeof response.templates, readonly string[]>>();
  expectTrue<Equal<typeof response.context, Readonly<Record<string, unknown>> | undefined>>();
  expectTrue<Equal<typeof response.outcome, RequestOutcome>>();
  expectTrue<Equal<typeof response.elapsedMs, number>>();
  expectTrue<Equal<typeof response.marbles, string>>();
  expectTrue<Equal<typeof response.exceptions, readonly Error[]>>();
  expectTrue<Equal<typeof response.events, readonly ClientEvent[]>>();
  expectTrue<Equal<typeof response.redirects, readonly TestResponse[]>>();
  for (const event of response.events) {
    const sender: FastifyInstance = event.sender;
    void sender;
    // Every event has its request; a render's may be undefined (app.view).
    const request: FastifyRequest | undefined = event.request;
    void request;
  }
}
void fields;
