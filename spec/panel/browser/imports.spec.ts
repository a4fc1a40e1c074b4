import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BROWSER = join(__dirname, '..', '..', '..', 'lib', 'panel', 'browser');

describe('panel page code', () => {
  // The page is bundled for browsers: it may import its siblings and the shared protocol, nothing
  // of the server (Node, Fastify, rxjs would end up in the page, or fail to bundle).
  it('imports only its own modules and ../protocol', () => {
    const found = readdirSync(BROWSER)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...readFileSync(join(BROWSER, file), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map(
          (match) => `${file}: ${match[1]}`,
        ),
      );
    expect(found.length).toBeGreaterThan(5);
    expect(found.filter((line) => !/: (\.\/[\w-]+|\.\.\/protocol)$/.test(line))).toEqual([]);
  });
});
