// A CommonJS app using the packed package: its entry points, a send, the plugin and the panel
// (its page script is built into the package) on a real Fastify app, and an Observable shared
// with the app's own rxjs (one copy: rxjs is a peer).
const Fastify = require('fastify');
const { Observable, from } = require('rxjs');
const { Signal, signalsPlugin, signalsPanel, requestFinished } = require('rx-signals');
const { recordSignals } = require('rx-signals/testing');
const { redisBridge } = require('rx-signals/redis');

async function main() {
  const greeted = new Signal('greeted');
  const recording = recordSignals(greeted);
  const seen = [];
  from(greeted).subscribe(({ name }) => seen.push(name));
  greeted.connect(({ name }) => `hello ${name}`);
  const [[, response]] = greeted.send(null, { name: 'Ada' });
  recording.stop();

  const app = Fastify();
  await app.register(signalsPlugin);
  await app.register(signalsPanel);
  app.get('/', async () => 'ok');
  const outcomes = [];
  app.signals.connect(requestFinished, ({ outcome }) => outcomes.push(outcome));
  await app.inject('/');
  const script = await app.inject('/_signals/panel.js');
  await app.close();

  const oneRxjs = greeted.asObservable() instanceof Observable;
  const panelScript = `${script.statusCode} ${script.headers['content-type']} ${script.body.length > 1000}`;
  console.log(
    JSON.stringify({
      response,
      recorded: recording.events.length,
      seen,
      outcomes,
      oneRxjs,
      panelScript,
      redisBridge: typeof redisBridge,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
