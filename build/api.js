// Builds the package's public API for `npm pack` (the prepack script): dist/api holds lib/index.ts ('wsbench')
// and lib/helpers.ts ('wsbench/helpers') with what they reach, as CommonJS and declaration files
// (tsconfig.api.json), for package.json's exports. Scenarios run by the runner are bundled against lib/ instead
// (build/scenario.ts).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
fs.rmSync(path.join(root, 'dist', 'api'), { recursive: true, force: true }); // no declaration of a file since removed
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.api.json')], { stdio: 'inherit' });
} catch {
  process.exit(1);
}
