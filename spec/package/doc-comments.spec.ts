/**
 * Every export of every entry point has a doc comment with an `@example` (the API reference,
 * `npm run docs`, is built from them). Read from the sources with the TypeScript compiler, as
 * the declarations users get carry the same comments.
 */
import { join } from 'node:path';
import * as ts from 'typescript';
import { entryPoints, ROOT } from './support/packed-package';

const ENTRY_POINTS = Object.fromEntries(entryPoints().map(({ specifier, source }) => [specifier, source]));

const program = ts.createProgram(
  Object.values(ENTRY_POINTS).map((file) => join(ROOT, file)),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
);
const checker = program.getTypeChecker();

/** `[entry point, export name, what is missing]` for each export without a documented example. */
function undocumented(): [entry: string, name: string, missing: string][] {
  return Object.entries(ENTRY_POINTS).flatMap(([entry, file]) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, file))!)!;
    return checker.getExportsOfModule(module).flatMap((exported): [string, string, string][] => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() === '') {
        return [[entry, exported.name, 'a doc comment']];
      }
      const hasExample = symbol.getJsDocTags(checker).some(({ name }) => name === 'example');
      return hasExample ? [] : [[entry, exported.name, 'an @example']];
    });
  });
}

it('documents every export of every entry point, with an example', () => {
  const exports = Object.values(ENTRY_POINTS).flatMap((file) =>
    checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, file))!)!),
  );
  expect(exports.length).toBeGreaterThan(100);
  expect(undocumented()).toEqual([]);
});
