/**
 * The project's documents cite only what the repository holds: every link of README.md, the
 * CHANGELOG and docs/*.md reaches a file that exists (and, with a `#fragment`, a heading of that
 * file), every `lib/...`-like path they name exists, and no file refers to design documents or section numbers users do not have.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { markdownAnchors, markdownLinks } from './support/markdown';

const ROOT = resolve(__dirname, '..');

const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];

/** Ways of citing a document that is not in the repository (spelled in pieces so that this file passes itself). */
const FOREIGN_CITATIONS = [
  new RegExp(['DESIGN', '\\.md'].join('')),
  new RegExp(['\\.\\./', 'shared'].join('')),
  /§\s*\d/,
];

/** The project's own files under a folder: node_modules (other packages' text) left out. */
function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path);
    return /\.(ts|md|mjs|cjs|js|json)$/.test(entry.name) ? [path] : [];
  });
}

describe('project documents', () => {
  it.each(DOCUMENTS)('%s links only to files and headings the repository holds', (document) => {
    const text = readFileSync(join(ROOT, document), 'utf8');
    for (const { target } of markdownLinks(text)) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [path, fragment] = target.split('#');
      const file = path === '' ? join(ROOT, document) : resolve(ROOT, dirname(document), path);
      expect([target, existsSync(file)]).toEqual([target, true]);
      if (fragment !== undefined && file.endsWith('.md')) {
        expect([target, markdownAnchors(readFileSync(file, 'utf8')).includes(fragment)]).toEqual([target, true]);
      }
    }
  });

  it.each(DOCUMENTS)('%s names only files and folders the repository holds', (document) => {
    const text = readFileSync(join(ROOT, document), 'utf8');
    const paths = [...text.matchAll(/`((?:lib|spec|bench|demo|docs|scripts)\/[\w./-]*)`/g)].map(([, path]) => path);
    // What a command generates (bench/results/, docs/api/) is named but ignored by git.
    const generated = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n').filter(Boolean);
    for (const path of paths.filter((named) => !generated.some((folder) => named.startsWith(folder))))
      expect([path, existsSync(join(ROOT, path))]).toEqual([path, true]);
  });

  it('never cite a design document or section numbers the repository does not hold', () => {
    const files = [
      ...DOCUMENTS,
      'package.json',
      ...['lib', 'spec', 'bench', 'demo', 'scripts', 'test'].flatMap(filesUnder),
    ];
    const citing = files.filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return FOREIGN_CITATIONS.some((pattern) => pattern.test(text));
    });
    expect(citing.map((file) => relative(ROOT, join(ROOT, file)))).toEqual([]);
  });
});
