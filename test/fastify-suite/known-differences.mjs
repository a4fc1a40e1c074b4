/**
 * Tests of Fastify's own suite that fail with `signalsPlugin` registered first and pass without
 * it, because they assert Fastify's exact hook lists or plugin tree (which the plugin adds to by
 * design), not because a request behaves differently. Each names its file, its test (the path of
 * names the reporter prints) and why. run.mjs fails on any other difference, and says when one of
 * these no longer differs.
 *
 * @example
 * import { KNOWN_DIFFERENCES } from './known-differences.mjs';
 */
export const KNOWN_DIFFERENCES = [
  {
    file: 'test/hooks.test.js',
    test: 'onRequest hook should support encapsulation / 2',
    reason: "counts the root's onRequest hooks: the plugin adds one (requestStarted)",
  },
  {
    file: 'test/plugin.2.test.js',
    test: 'set the plugin name based on the plugin displayName symbol',
    reason: "compares the plugin name chain ('fastify -> plugin-A'): rx-signals is in it",
  },
  {
    file: 'test/plugin.2.test.js',
    test: 'plugin name will change when using no encapsulation',
    reason: "compares the plugin name chain ('fastify -> plugin-A -> plugin-AB'): rx-signals is in it",
  },
  {
    file: 'test/plugin.4.test.js',
    test: 'hasPlugin returns true when using no encapsulation',
    reason: "compares the plugin name chain ('fastify -> plugin-AA'): rx-signals is in it",
  },
  {
    file: 'test/pretty-print.test.js',
    test: 'pretty print - empty plugins',
    reason: 'compares the printed plugin tree of an app without plugins: rx-signals is in it',
  },
  {
    file: 'test/pretty-print.test.js',
    test: 'pretty print - includeMeta, includeHooks',
    reason:
      "compares the printed route tree with each route's hooks: the plugin's onRequest hooks (its own, and the one it appends to every route) are in it",
  },
];

/**
 * Test files not run, each with why (printed in every summary).
 *
 * @example
 * import { NOT_RUN } from './known-differences.mjs';
 */
export const NOT_RUN = [
  {
    file: 'test/build/error-serializer.test.js',
    reason:
      "lints Fastify's generated error serializer with ESLint and Fastify's lint config (not installed here); it makes no request",
  },
];
