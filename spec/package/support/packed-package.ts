/**
 * The package as users get it: `npm pack` on this checkout (its `prepack` script cleans and
 * builds `dist/`), unpacked into the `node_modules` of throwaway apps outside the repository.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The repository's root. */
export const ROOT = resolve(__dirname, '../../..');

/**
 * One entry point of the package, as package.json's `exports` declares it.
 *
 * @example
 * const testing: EntryPoint = { specifier: 'rx-signals/testing', compiled: 'dist/testing/index', source: 'lib/testing/index.ts' };
 */
export interface EntryPoint {
  /** What users import. */
  readonly specifier: string;
  /** Its module in the package, without extension (`.js`, `.d.ts`). */
  readonly compiled: string;
  /** Its source in the repository. */
  readonly source: string;
}

/**
 * Every entry point package.json exports (its own package.json aside).
 *
 * @example
 * entryPoints().map(({ specifier }) => specifier); // ['rx-signals', 'rx-signals/testing', 'rx-signals/redis']
 */
export function entryPoints(): EntryPoint[] {
  // Not `exports`: that name is taken in the CommonJS this file compiles to.
  const { name, exports: exported } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { types: string; default: string }>;
  };
  return Object.entries(exported).flatMap(([path, target]) => {
    if (typeof target === 'string') return [];
    const compiled = target.default.replace(/^\.\//, '').replace(/\.js$/, '');
    return [
      {
        specifier: path === '.' ? name : `${name}${path.slice(1)}`,
        compiled,
        source: `${compiled.replace(/^dist\//, 'lib/')}.ts`,
      },
    ];
  });
}

const run = promisify(execFile);

/**
 * What `npm pack` made.
 *
 * @example
 * const packed = await packPackage();
 * packed.files.includes('dist/index.js'); // true
 */
export interface PackedPackage {
  /** The .tgz file. */
  readonly tarball: string;
  /** The packed package, unpacked (its `package/` folder). */
  readonly unpacked: string;
  /** Every file of the tarball, relative to the package root, sorted. */
  readonly files: readonly string[];
  /** The tarball's size in bytes. */
  readonly size: number;
  /** Where everything lives; {@link PackedPackage.remove} deletes it. */
  readonly workspace: string;
  remove(): void;
}

/**
 * Packs the repository into a temporary folder, as `npm pack` on a fresh clone would (the
 * `prepack` build runs, after removing any `dist/` left from before), and unpacks the tarball.
 *
 * @example
 * const packed = await packPackage();
 * afterAll(() => packed.remove());
 */
export async function packPackage(): Promise<PackedPackage> {
  const workspace = mkdtempSync(join(tmpdir(), 'rx-signals-package-'));
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workspace], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    // Scripts (prepack) may print before npm's JSON: it is the last top-level array.
    const [report] = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1)) as [
      { filename: string; size: number; files: { path: string }[] },
    ];
    const tarball = join(workspace, report.filename);
    await run('tar', ['-xzf', tarball, '-C', workspace]);
    return {
      tarball,
      unpacked: join(workspace, 'package'),
      files: report.files.map(({ path }) => path).sort(),
      size: report.size,
      workspace,
      remove: () => rmSync(workspace, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Options of {@link makeApp}.
 *
 * @example
 * const options: AppOptions = { name: 'esm', type: 'module', rxjs: OLDEST_RXJS };
 */
export interface AppOptions {
  /** The app's folder name in the workspace. */
  readonly name: string;
  /** The app's own package.json `type`. */
  readonly type: 'commonjs' | 'module';
  /** The rxjs folder the app installs (default: the project's own). */
  readonly rxjs?: string;
  /** Optional peers the app does not install. */
  readonly without?: readonly string[];
}

/** The oldest rxjs of the package's peer range, installed for this spec (spec/package/rxjs/7.5). */
export const OLDEST_RXJS = join(ROOT, 'spec/package/rxjs/7.5/node_modules/rxjs');

/**
 * A throwaway app in the workspace with the packed package installed in its `node_modules`,
 * beside exactly what the package declares it needs (its dependencies and peers) plus
 * `@types/node`, linked from the project's own installation. Nothing else resolves: an import
 * the package forgot to declare fails there.
 *
 * @example
 * const app = makeApp(packed, { name: 'cjs', type: 'commonjs' });
 * copyInto(app, 'spec/package/consumers/consumer.cjs');
 */
export function makeApp(packed: PackedPackage, options: AppOptions): string {
  const app = join(packed.workspace, options.name);
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: options.name, private: true, type: options.type }));
  cpSync(packed.unpacked, join(modules, 'rx-signals'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(packed.unpacked, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const needed = [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    '@types/node',
  ];
  for (const name of needed.filter((name) => !options.without?.includes(name))) {
    const installed = name === 'rxjs' && options.rxjs !== undefined ? options.rxjs : join(ROOT, 'node_modules', name);
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(installed, join(modules, name), 'dir');
  }
  return app;
}

/**
 * Copies files of the repository into an app, keeping their names.
 *
 * @example
 * copyInto(app, 'spec/package/consumers/consumer.mjs'); // app/consumer.mjs
 */
export function copyInto(app: string, ...files: string[]): void {
  for (const file of files) cpSync(join(ROOT, file), join(app, file.split('/').at(-1)!));
}

/**
 * Runs a file of an app with node, from the app's folder, and returns what it printed.
 *
 * @example
 * JSON.parse(await runNode(app, 'consumer.cjs')).outcomes; // ['completed']
 */
export async function runNode(app: string, file: string): Promise<string> {
  const { stdout } = await run(process.execPath, [file], { cwd: app, timeout: 60_000 });
  return stdout;
}
