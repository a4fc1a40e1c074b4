// The panel page's script: lib/panel/browser/main.ts and what it imports, bundled by esbuild into
// one self-contained IIFE for browsers.
//   node scripts/panel-bundle.js <out dir>   writes <out dir>/panel.js (npm run build, demo, bench)
//   require('./panel-bundle').bundlePanelScript()   the same text, for lib/panel/panel-script.ts
//     when it runs from the sources (Jest), where no built panel.js exists.
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ENTRY = join(__dirname, '..', 'lib', 'panel', 'browser', 'main.ts');

/** The bundled script, as text. */
function bundlePanelScript() {
  // Loaded here, not at the top: only a build or a run from the sources needs esbuild.
  const { buildSync } = require('esbuild');
  const result = buildSync({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

if (require.main === module) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: node scripts/panel-bundle.js <out dir>');
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'panel.js'), bundlePanelScript());
}

module.exports = { bundlePanelScript };
