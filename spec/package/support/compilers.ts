/**
 * The TypeScript compilers the packed package is checked with: the oldest and the newest
 * supported. Each one is installed for the spec (spec/package/typescript/*),
 * nested so that its `tsc` never takes the project's place in node_modules/.bin.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type * as TypeScript from 'typescript';
import { ROOT } from './packed-package';

const run = promisify(execFile);

/**
 * A compilation to check: files of an app, under some compiler options (as a tsconfig's
 * `compilerOptions` would spell them).
 *
 * @example
 * const project: Project = { app, files: ['resolution.ts'], options: { module: 'node16' } };
 */
export interface Project {
  /** The app's folder. */
  readonly app: string;
  /** Its files to compile, relative to it. */
  readonly files: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * One TypeScript version and how to run it.
 *
 * @example
 * const errors = await compiler.check(project); // [] when everything compiles
 */
export interface Compiler {
  /** Its exact version, e.g. `5.4.5`. */
  readonly version: string;
  /** Module resolution modes it no longer has. */
  readonly removedModes: readonly string[];
  /** True when it runs in this process (blocking it), false when it runs as a command. */
  readonly inProcess: boolean;
  /**
   * The errors (formatted `file(line,col): message`) of the project's files and of every
   * declaration file of the package they load; none of other libraries' declarations.
   */
  check(project: Project): Promise<string[]>;
}

/** What every compilation checks with, besides a project's own options. */
const BASE_OPTIONS = { strict: true, noEmit: true, target: 'es2022', types: ['node'], skipLibCheck: false };

/** Where the package's own declaration files sit in a compiled app. */
const PACKAGE_FILES = /[\\/]node_modules[\\/]rx-signals[\\/]/;

/**
 * A compiler with a JavaScript API (TypeScript 5 and 6), run in this process. Compilations share
 * the parsed declaration files, so a matrix of modes costs little more than one compilation.
 *
 * @example
 * const oldest = apiCompiler('spec/package/typescript/5.4/node_modules/typescript');
 */
export function apiCompiler(packagePath: string): Compiler {
  const ts = require(join(ROOT, packagePath)) as typeof TypeScript;
  const parsed = new Map<string, TypeScript.SourceFile | undefined>();
  return {
    version: ts.version,
    removedModes: [],
    inProcess: true,
    async check({ app, files, options }) {
      const converted = ts.convertCompilerOptionsFromJson({ ...BASE_OPTIONS, ...options }, app);
      if (converted.errors.length > 0) return converted.errors.map((error) => format(ts, error));
      const host = ts.createCompilerHost(converted.options);
      const getSourceFile = host.getSourceFile.bind(host);
      host.getSourceFile = (fileName, languageVersionOrOptions, ...rest) => {
        // Declarations of libraries parse the same in every mode of one version; the app's own
        // files are parsed afresh (their module format depends on the mode).
        if (!fileName.endsWith('.d.ts')) return getSourceFile(fileName, languageVersionOrOptions, ...rest);
        const key = `${fileName}\0${JSON.stringify(languageVersionOrOptions)}`;
        if (!parsed.has(key)) parsed.set(key, getSourceFile(fileName, languageVersionOrOptions, ...rest));
        return parsed.get(key);
      };
      const program = ts.createProgram(
        files.map((file) => join(app, file)),
        converted.options,
        host,
      );
      const checked = program
        .getSourceFiles()
        .filter((file) => PACKAGE_FILES.test(file.fileName) || !file.fileName.includes('node_modules'));
      const diagnostics = [
        ...program.getOptionsDiagnostics(),
        ...program.getGlobalDiagnostics(),
        ...checked.flatMap((file) => [
          ...program.getSyntacticDiagnostics(file),
          ...program.getSemanticDiagnostics(file),
        ]),
      ];
      return diagnostics.map((diagnostic) => format(ts, diagnostic, app));
    },
  };
}

/**
 * A compiler run as a command (TypeScript 7 has no JavaScript API): one `tsc -p` per project,
 * on a tsconfig written into the app. It checks every declaration file, other libraries' too.
 *
 * @example
 * const newest = commandCompiler('spec/package/typescript/7/node_modules/typescript', ['node10']);
 */
export function commandCompiler(packagePath: string, removedModes: readonly string[]): Compiler {
  const folder = join(ROOT, packagePath);
  const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string };
  const results = new Map<string, Promise<string[]>>();
  // One compilation at a time: the compiler uses every core it gets, and the machine is shared.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    version,
    removedModes,
    inProcess: false,
    check(project) {
      const key = JSON.stringify(project);
      if (!results.has(key)) {
        const name = `tsconfig.${version}.${results.size + 1}.json`;
        const result = previous.then(() => compile(project, name));
        results.set(key, result);
        previous = result;
      }
      return results.get(key)!;
    },
  };

  async function compile({ app, files, options }: Project, name: string): Promise<string[]> {
    const tsconfig = join(app, name);
    writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { ...BASE_OPTIONS, ...options }, files }));
    try {
      await run(process.execPath, [join(folder, 'bin/tsc'), '-p', tsconfig, '--pretty', 'false'], {
        cwd: app,
        timeout: 120_000,
      });
      return [];
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      const output = `${stdout ?? ''}${stderr ?? ''}`.trim();
      return output === '' ? [String(error)] : output.split('\n');
    }
  }
}

function format(ts: typeof TypeScript, diagnostic: TypeScript.Diagnostic, app?: string): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const file = app === undefined ? diagnostic.file.fileName : diagnostic.file.fileName.replace(`${app}/`, '');
  return `${file}(${line + 1},${character + 1}): TS${diagnostic.code}: ${message}`;
}
