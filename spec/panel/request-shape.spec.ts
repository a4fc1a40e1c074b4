import Fastify from 'fastify';
import { signalsPanel, signalsPlugin } from '../../lib';

// Regression: the panel noted each request's number and route in two symbol fields it added to
// the request while a page watched, so every request object changed shape twice on the way, and
// Fastify's own code met requests of several shapes. The fields are declared up front now.
describe('signalsPanel: request objects keep one shape', () => {
  it("builds every request with the panel's fields already in it", async () => {
    const app = Fastify();
    await app.register(signalsPlugin);
    await app.register(signalsPanel);
    const seen: string[][] = [];
    app.addHook('onRequest', async (request) => {
      seen.push(Object.getOwnPropertySymbols(request).map((key) => key.description ?? ''));
    });
    app.get('/ok', async () => 'ok');
    await app.inject('/ok');
    await app.close();
    expect(seen[0]).toEqual(expect.arrayContaining(['rx-signals panel request number', 'rx-signals panel route']));
  });
});
