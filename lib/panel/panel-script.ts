import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let script: string | undefined;

/**
 * The panel page's script, served at `<prefix>/panel.js`: the TypeScript of `./browser`,
 * bundled into one file. A build (`npm run build`, and the demo's and bench's runs) writes it
 * beside this module as `panel.js`; run from the sources (Jest), it is bundled on first use.
 * Read once per process.
 *
 * @example
 * reply.type('text/javascript').send(panelScript());
 * @internal
 */
export function panelScript(): string {
  if (script !== undefined) return script;
  const built = join(__dirname, 'panel.js');
  if (existsSync(built)) return (script = readFileSync(built, 'utf8'));
  const bundler = join(__dirname, '..', '..', 'scripts', 'panel-bundle.js');
  if (existsSync(bundler)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when running from the sources
    return (script = (require(bundler) as { bundlePanelScript(): string }).bundlePanelScript());
  }
  throw new Error(
    `signalsPanel: the page script is missing (${built}). The package ships it; from a clone, run npm run build.`,
  );
}
