/**
 * rx-signals: Django's signal layer on RxJS, fed by a Fastify plugin.
 *
 * The layers, each importing only those before it: `core` (signals) ← `fastify` (the plugin and
 * the request signals) ← `operators` (request-event pipelines) ← `panel` (the live panel).
 *
 * @example
 * import { Signal, receiver, pausable, receiverErrors, requestFinished } from 'rx-signals';
 */
export * from './core';
export * from './fastify';
export * from './operators';
export * from './panel';
