// The same app in TypeScript: the core's types need no Fastify (with `skipLibCheck`, as the
// declarations of the Fastify layer mention Fastify's types).
import { Signal, receiver } from 'rx-signals';

const saved = new Signal<{ id: number }>('saved');
receiver(saved, ({ id }) => id.toFixed()).unsubscribe();
// @ts-expect-error: the args are typed
saved.send(null, { id: 'seven' });
