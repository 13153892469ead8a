// Builds the runner itself: one CommonJS file per entry point under dist/ (run by npm's prepare and `make`).
'use strict';
const esbuild = require('esbuild');
const path = require('node:path');

const root = path.join(__dirname, '..');
esbuild
  .build({
    entryPoints: {
      cli: path.join(root, 'runner/cli.ts'),
      worker: path.join(root, 'runner/worker.ts'),
      'server-worker': path.join(root, 'server/server-worker.ts'),
    },
    outdir: path.join(root, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    packages: 'external',
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
