import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const LIB = resolve(__dirname, '../../../lib');

/**
 * Compiles `entries` (paths under lib/, without extension) and every lib file they import,
 * relatively, to CommonJS JavaScript under `outDir`, keeping lib's layout. Transpile-only (types
 * are checked by `tsc --noEmit`), so it takes milliseconds and works while other parts of lib/
 * are mid-edit. Lets a plain `node` child process load the real core.
 *
 * @example
 * compileLib(['signal', 'receiver-errors', 'operators/pausable'], '/tmp/lib');
 * // node -e "require('/tmp/lib/signal.js')"
 */
export function compileLib(entries: readonly string[], outDir: string): void {
  const pending = entries.map((entry) => join(LIB, `${entry}.ts`));
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(outDir, relative(LIB, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    for (const match of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      pending.push(resolve(dirname(file), `${match[1]}.ts`));
    }
  }
}
