/**
 * The package as users install it: `npm pack` on this checkout, once (its `prepack` script
 * cleans and builds), then checked from the outside (`rx-signals`, `rx-signals/testing`,
 * `rx-signals/redis`). It ships built JavaScript and declarations
 * and nothing of the sources; every entry point resolves for CommonJS, native ES modules and
 * TypeScript's `node10`, `node16`/`nodenext` and `bundler` resolutions (checked by
 * @arethetypeswrong/cli and by compiling and running small apps); rxjs is a peer that the oldest
 * version of its range satisfies; and the type tests of spec/types pass against the emitted
 * declarations with the oldest and the newest TypeScript supported.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiCompiler, commandCompiler, type Compiler, type Project } from './support/compilers';
import {
  copyInto,
  entryPoints,
  makeApp,
  OLDEST_RXJS,
  packPackage,
  ROOT,
  runNode,
  type PackedPackage,
} from './support/packed-package';

const run = promisify(execFile);

/** The entry points of the package: export path → its compiled module. */
const ENTRY_POINTS = Object.fromEntries(
  entryPoints().map(({ specifier, compiled }) => [specifier.replace(/^rx-signals/, '.'), compiled]),
);

/**
 * The oldest and the newest TypeScript supported (the newest has no node10 any more). The
 * project's own compiler, between them, builds the declarations.
 */
const COMPILERS: readonly Compiler[] = [
  apiCompiler('spec/package/typescript/5.4/node_modules/typescript'),
  commandCompiler('spec/package/typescript/7/node_modules/typescript', ['node10']),
];

// Compilers and node under a busy machine: slow, never stuck (each step has its own timeout too).
jest.setTimeout(180_000);

/** TypeScript module resolution modes, with the kind of app each is compiled in. */
const MODES = [
  ['node10', 'cjs', { module: 'commonjs', moduleResolution: 'node10' }],
  ['node16, CommonJS app', 'cjs', { module: 'node16', moduleResolution: 'node16' }],
  ['node16, ES module app', 'esm', { module: 'node16', moduleResolution: 'node16' }],
  ['nodenext, ES module app', 'esm', { module: 'nodenext', moduleResolution: 'nodenext' }],
  ['bundler', 'esm', { module: 'esnext', moduleResolution: 'bundler' }],
] as const;

const TYPE_TESTS = readdirSync(join(ROOT, 'spec/types')).filter((file) => file.endsWith('.ts'));

let packed: PackedPackage;
const apps: Record<'cjs' | 'esm' | 'oldestRxjs' | 'coreOnly', string> = {
  cjs: '',
  esm: '',
  oldestRxjs: '',
  coreOnly: '',
};

beforeAll(async () => {
  packed = await packPackage();
  apps.cjs = makeApp(packed, { name: 'cjs', type: 'commonjs' });
  apps.esm = makeApp(packed, { name: 'esm', type: 'module' });
  apps.oldestRxjs = makeApp(packed, { name: 'oldest-rxjs', type: 'commonjs', rxjs: OLDEST_RXJS });
  for (const app of [apps.cjs, apps.esm]) copyInto(app, 'spec/package/consumers/resolution.ts');
  copyInto(apps.cjs, 'spec/package/consumers/consumer.cjs', ...TYPE_TESTS.map((file) => `spec/types/${file}`));
  copyInto(apps.esm, 'spec/package/consumers/consumer.mjs');
  copyInto(apps.oldestRxjs, 'spec/package/consumers/consumer.cjs');
  apps.coreOnly = makeApp(packed, { name: 'core-only', type: 'commonjs', without: ['fastify', 'redis'] });
  copyInto(apps.coreOnly, 'spec/package/consumers/core-only.cjs', 'spec/package/consumers/core-only.ts');
  // Compilers that run as commands start now, beside the rest; their tests await the results.
  for (const compiler of COMPILERS.filter(({ inProcess }) => !inProcess)) {
    for (const [, project] of checksOf(compiler)) void compiler.check(project());
  }
}, 240_000);

afterAll(() => packed?.remove());

describe('npm pack', () => {
  it('ships the built JavaScript and declarations of every entry point', () => {
    for (const compiled of Object.values(ENTRY_POINTS)) {
      expect(packed.files).toContain(`${compiled}.js`);
      expect(packed.files).toContain(`${compiled}.d.ts`);
    }
  });

  it('ships package.json, README.md, LICENSE, CHANGELOG.md and dist/, nothing else', () => {
    const others = packed.files.filter((file) => !/^dist\/.+\.(js|d\.ts)$/.test(file));
    expect(others).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
  });

  it('ships no source maps and no reference to one', () => {
    const javascript = packed.files.filter((file) => file.endsWith('.js') || file.endsWith('.d.ts'));
    const mapped = javascript.filter((file) =>
      readFileSync(join(packed.unpacked, file), 'utf8').includes('sourceMappingURL'),
    );
    expect(mapped).toEqual([]);
  });

  it('strips internal members from the declarations', () => {
    const declarations = packed.files.filter((file) => file.endsWith('.d.ts'));
    const internal = declarations.filter((file) =>
      readFileSync(join(packed.unpacked, file), 'utf8').includes('@internal'),
    );
    expect(internal).toEqual([]);
  });

  it('has rxjs as a peer (never a second copy), fastify and redis as optional peers', () => {
    const manifest = JSON.parse(readFileSync(join(packed.unpacked, 'package.json'), 'utf8'));
    expect(manifest.peerDependencies).toMatchObject({ rxjs: '^7.5.0', fastify: '^5.0.0', redis: expect.any(String) });
    expect(manifest.peerDependenciesMeta).toEqual({ fastify: { optional: true }, redis: { optional: true } });
    for (const peer of ['rxjs', 'fastify', 'redis'])
      expect(Object.keys(manifest.dependencies ?? {})).not.toContain(peer);
  });
});

describe('resolution of every entry point', () => {
  it('has no problem @arethetypeswrong/cli knows of, in node10, node16 (CommonJS and ES module) and bundler', async () => {
    const cli = join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    // attw exits with 1 when it finds a problem: the JSON report says which.
    const report = await run(process.execPath, [cli, packed.tarball, '--format', 'json'], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout: string }) => error);
    const { analysis, problems } = JSON.parse(report.stdout) as {
      problems: Record<string, unknown[]> | unknown[];
      analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> };
    };
    expect(Object.values(problems).flat()).toEqual([]);
    const resolved = Object.fromEntries(
      Object.entries(analysis.entrypoints).map(([entry, { resolutions }]) => [
        entry,
        Object.fromEntries(Object.entries(resolutions).map(([mode, { resolution }]) => [mode, resolution?.fileName])),
      ]),
    );
    for (const [entry, compiled] of Object.entries(ENTRY_POINTS)) {
      const declarations = `/node_modules/rx-signals/${compiled}.d.ts`;
      expect(resolved[entry]).toEqual({
        node10: declarations,
        'node16-cjs': declarations,
        'node16-esm': declarations,
        bundler: declarations,
      });
    }
  });

  it('runs from a CommonJS app, with the app’s own rxjs, the panel’s page script included', async () => {
    expect(JSON.parse(await runNode(apps.cjs, 'consumer.cjs'))).toEqual({
      response: 'hello Ada',
      recorded: 1,
      seen: ['Ada'],
      outcomes: ['completed', 'completed'],
      oneRxjs: true,
      panelScript: '200 text/javascript; charset=utf-8 true',
      redisBridge: 'function',
    });
  });

  it('runs from a native ES module app, whose named imports are every export CommonJS sees', async () => {
    const printed = JSON.parse(await runNode(apps.esm, 'consumer.mjs'));
    expect(printed).toMatchObject({
      response: 'hello Ada',
      recorded: 1,
      outcomes: ['completed'],
      oneRxjs: true,
      mismatch: [],
    });
    // Without this, two empty namespaces would agree.
    expect(printed.exports.main).toBeGreaterThan(20);
    expect(printed.exports.testing).toBeGreaterThan(5);
    expect(printed.exports.redis).toBeGreaterThan(2);
  });
});

describe('fastify and redis, the optional peers', () => {
  it('are not needed by an app that uses only the core', async () => {
    expect(() => require.resolve('fastify', { paths: [apps.coreOnly] })).toThrow();
    expect(() => require.resolve('redis', { paths: [apps.coreOnly] })).toThrow();
    expect(JSON.parse(await runNode(apps.coreOnly, 'core-only.cjs'))).toEqual({
      seen: [7],
      listening: false,
      errors: 'function',
    });
  });
});

describe('rxjs, the peer', () => {
  const oldest = JSON.parse(readFileSync(join(OLDEST_RXJS, 'package.json'), 'utf8')).version as string;

  it(`runs with the oldest rxjs of the range (${oldest})`, async () => {
    expect(oldest).toMatch(/^7\.5\./);
    expect(JSON.parse(await runNode(apps.oldestRxjs, 'consumer.cjs'))).toMatchObject({
      response: 'hello Ada',
      oneRxjs: true,
    });
  });

  it(`uses only what rxjs ${oldest} exports`, () => {
    // tsc compiles `import { Subject } from 'rxjs'` to `const rxjs_1 = require("rxjs")` and `rxjs_1.Subject`.
    const missing: string[] = [];
    for (const file of packed.files.filter((name) => name.endsWith('.js'))) {
      const code = readFileSync(join(packed.unpacked, file), 'utf8');
      for (const [, binding, specifier] of code.matchAll(/(\w+) = require\("(rxjs(?:\/\w+)?)"\)/g)) {
        const module = require(join(OLDEST_RXJS, '..', specifier)) as object;
        for (const [, name] of code.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))) {
          if (!(name in module)) missing.push(`${file}: ${specifier}.${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

/** What a compiler checks, by test title: the resolution app in each of its modes, and the type tests. */
function checksOf(compiler: Compiler): [title: string, project: () => Project][] {
  const modes = MODES.filter(([mode]) => !compiler.removedModes.includes(mode));
  const typeTests = TYPE_TESTS.filter((file) => file.endsWith('.types.ts'));
  return [
    ...modes.map(([mode, app, options]): [string, () => Project] => [
      `every entry point and its types resolve with ${mode}`,
      () => ({ app: apps[app], files: ['resolution.ts'], options }),
    ]),
    [
      'an app of the core alone, without Fastify installed, type-checks (with skipLibCheck)',
      () => ({
        app: apps.coreOnly,
        files: ['core-only.ts'],
        options: { module: 'node16', moduleResolution: 'node16', skipLibCheck: true },
      }),
    ],
    [
      `the type tests of spec/types (${typeTests.length} files) pass against the emitted declarations`,
      () => ({ app: apps.cjs, files: typeTests, options: { module: 'node16', moduleResolution: 'node16' } }),
    ],
  ];
}

describe.each(COMPILERS.map((compiler) => [compiler.version, compiler] as const))(
  'TypeScript %s',
  (_version, compiler) => {
    it.each(checksOf(compiler))('%s', async (_title, project) => {
      expect(await compiler.check(project())).toEqual([]);
    });
  },
);
