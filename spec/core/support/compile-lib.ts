import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const LIB = resolve(__dirname, '../../../lib');

/**
 * Compiles `entries` (paths under `root`, lib/ unless given, without extension) and every lib file they import,
 * relatively, to CommonJS JavaScript under `outDir`, keeping lib's layout. Transpile-only (types
 * are checked by `tsc --noEmit`), so it takes milliseconds and works while other parts of lib/
 * are mid-edit. Lets a plain `node` child process load the real core.
 *
 * @example
 * compileLib(['signal', 'receiver-errors', 'operators/pausable'], '/tmp/lib');
 * // node -e "require('/tmp/lib/signal.js')"
 */
export function compileLib(entries: readonly string[], outDir: string, root: string = LIB): void {
  const pending = entries.map((entry) => join(root, `${entry}.ts`));
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
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    for (const match of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), match[1]);
      pending.push(existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts')); // a folder: its index
    }
  }
}
