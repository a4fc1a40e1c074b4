import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The folders of lib/ are the architecture, and imports run one way:
 * core ← fastify ← operators ← panel, with testing and redis on top of what they need.
 * A type-only import counts too: it ties the layers' declarations together just the same.
 */
const LIB = path.join(__dirname, '..', 'lib');

/** What each layer may import (besides itself). `.` is lib/index.ts, the main entry point. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  fastify: ['core'],
  operators: ['core', 'fastify'],
  panel: ['core', 'fastify', 'operators'],
  testing: ['core', 'fastify', 'operators'],
  redis: ['core', 'fastify', 'operators', 'panel'],
  '.': ['core', 'fastify', 'operators', 'panel'],
};

/** Packages only some layers may load. */
const PACKAGES_OF: Record<string, RegExp> = {
  core: /^(rxjs|node:)/,
  fastify: /^(rxjs|node:|fastify$|fastify-plugin$)/,
  operators: /^(rxjs|node:|fastify$)/,
  panel: /^(rxjs|node:|fastify$|fastify-plugin$)/,
  testing: /^(rxjs|node:|fastify$|light-my-request$)/,
  redis: /^(rxjs|node:|redis$|@redis\/)/,
  '.': /^$/,
};

/** [layer, file relative to lib/, imported specifiers] for every .ts file of lib/. */
function imports(): [layer: string, file: string, specifiers: string[]][] {
  return readdirSync(LIB, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => {
      const posix = file.split(path.sep).join('/');
      const layer = posix.includes('/') ? posix.split('/')[0] : '.';
      // Comments go first: doc examples show imports of the package.
      const text = readFileSync(path.join(LIB, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
      const specifiers = [
        ...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\(\s*|^import\s+)['"]([^'"]+)['"]/gm),
      ].map((match) => match[1]);
      return [layer, posix, specifiers];
    });
}

/** The layer a relative import from `file` lands in. */
function layerOf(file: string, specifier: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  if (target.startsWith('..')) return '<outside lib>';
  return target.includes('/') ? target.split('/')[0] : target === 'index' || target === '.' ? '.' : target;
}

function violations(): string[] {
  const found: string[] = [];
  for (const [layer, file, specifiers] of imports()) {
    const allowed = MAY_IMPORT[layer];
    if (allowed === undefined) {
      found.push(`${file}: lib/${layer}/ is not a known layer; add it to MAY_IMPORT`);
      continue;
    }
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        const target = layerOf(file, specifier);
        if (target !== layer && !allowed.includes(target))
          found.push(`${file} imports ${specifier} (${layer} → ${target})`);
      } else if (!PACKAGES_OF[layer].test(specifier)) {
        found.push(`${file} loads the package ${specifier}`);
      }
    }
  }
  return found;
}

describe('layers', () => {
  it('every layer of lib/ has files', () => {
    const layers = new Set(imports().map(([layer]) => layer));
    for (const layer of ['core', 'fastify', 'operators', 'panel', 'testing', '.']) expect(layers).toContain(layer);
  });

  it('imports run one way: core ← fastify ← operators ← panel, testing and redis on top', () => {
    expect(violations()).toEqual([]);
  });

  it('the check sees an import against the arrows (so it can fail)', () => {
    expect(layerOf('core/signal.ts', '../fastify/signals')).toBe('fastify');
    expect(layerOf('panel/plugin.ts', './options')).toBe('panel');
    expect(layerOf('index.ts', './core')).toBe('core');
    expect(MAY_IMPORT.core).not.toContain('fastify');
    expect(MAY_IMPORT.fastify).not.toContain('operators');
  });
});
