// @ts-check
// ESLint (flat config) with typescript-eslint's recommended rules, run by `npm run lint` in
// `npm test`. Pragmatic: tsc already checks types and unused names; the rules turned off below
// say why. Formatting is Prettier's (`npm run format`), never ESLint's.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What plain Node scripts (.js, .cjs, .mjs) may use without importing it. */
const NODE_GLOBALS = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'URL',
    'setTimeout',
    'clearTimeout',
    'setImmediate',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', '.build/', 'coverage/', 'docs/api/', 'bench/results/', 'spec/artifacts/', '**/node_modules/'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // tsc's noUnusedLocals and noUnusedParameters check this; type tests keep values they use
      // only in types (`typeof x`).
      '@typescript-eslint/no-unused-vars': 'off',
      // The public API takes "any function" (`ReceiverInfo.receiver`, mute selectors): `Function`
      // says so, and changing it would change the published types.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // A named function expression (its name shows in `receivers()`) needs `this` aliased.
      '@typescript-eslint/no-this-alias': 'off',
      // `interface Signal extends InteropObservable<...> {}` merges the interop key into the class.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // A variable a closure reads before its one assignment cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The library's own policy: a rejection never goes unhandled. These rules need types (slower),
    // so they run on lib/ only.
    files: ['lib/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    // Tests, scripts and example apps load modules on demand (fixtures, child processes,
    // CommonJS consumers of the packed package).
    files: ['spec/**', 'scripts/**', 'bench/**', '**/*.cjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
