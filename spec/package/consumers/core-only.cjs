// An app that uses only the core, with no Fastify installed: fastify is an optional peer, and
// loading rx-signals must not need it.
const { Signal, receiver, receiverErrors } = require('rx-signals');

const saved = new Signal('saved');
const seen = [];
const connection = receiver(saved, ({ id }) => seen.push(id));
saved.send(null, { id: 7 });
connection.unsubscribe();
console.log(JSON.stringify({ seen, listening: saved.hasListeners(), errors: typeof receiverErrors.subscribe }));
