import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const LIB = path.join(__dirname, '..', '..', 'lib');

/** The TypeScript sources of lib/, as [path relative to lib, text]. */
function librarySources(): [file: string, text: string][] {
  return readdirSync(LIB, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => [file.split(path.sep).join('/'), readFileSync(path.join(LIB, file), 'utf8')]);
}

/** True when `text` loads `module` at run time (a value import, require or dynamic import). */
function loads(text: string, module: RegExp): boolean {
  const specifier = module.source;
  return new RegExp(
    `(^|\\n)\\s*(import|export)\\s+(?!type\\b)[^;]*?from\\s+['"]${specifier}['"]|require\\(\\s*['"]${specifier}['"]|import\\(\\s*['"]${specifier}['"]`,
  ).test(text);
}

describe('entry points', () => {
  it('finds the library sources', () => {
    expect(librarySources().map(([file]) => file)).toEqual(expect.arrayContaining(['index.ts', 'testing/index.ts']));
  });

  it('only lib/testing loads rxjs/testing, and production code never loads lib/testing', () => {
    const offenders = librarySources()
      .filter(([file]) => !file.startsWith('testing/'))
      .filter(([, text]) => loads(text, /rxjs\/testing/) || loads(text, /(\.\.?\/)+(\.\.\/)*testing(\/[\w-]+)?/))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('lib/ never loads @fastify/view: apps without it installed keep working', () => {
    const offenders = librarySources()
      .filter(([, text]) => loads(text, /@fastify\/view/))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('the checks see a real import (so they can fail)', () => {
    expect(loads("import { TestScheduler } from 'rxjs/testing';", /rxjs\/testing/)).toBe(true);
    expect(loads("import type { X } from 'rxjs/testing';", /rxjs\/testing/)).toBe(false);
    expect(loads("export { muted } from '../testing/muted';", /(\.\.?\/)+(\.\.\/)*testing(\/[\w-]+)?/)).toBe(true);
    expect(loads("const view = require('@fastify/view');", /@fastify\/view/)).toBe(true);
  });
});
