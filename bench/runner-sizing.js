'use strict';
/**
 * The runner's own sizing for the benches, from its source: runner/limits.ts (the open-files limit,
 * connections per process, workers) and runner/addresses.ts (connections per source address),
 * compiled with esbuild on load. bench/curve-plan.js and bench/peers/floor-multi.js size their
 * processes and source addresses with these, so they match the runner by construction.
 */
const path = require('node:path');
const Module = require('node:module');
const esbuild = require('esbuild');

function load(file) {
  const abs = path.join(__dirname, '..', file);
  const out = esbuild.buildSync({ entryPoints: [abs], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' });
  const m = new Module(abs, module);
  m.filename = abs;
  m.paths = module.paths;
  m._compile(out.outputFiles[0].text, abs);
  return m.exports;
}

const { openFilesLimit, connsPerProcess, workersFor } = load('runner/limits.ts');
const { CONNS_PER_SOURCE } = load('runner/addresses.ts');

module.exports = { openFilesLimit, connsPerProcess, workersFor, CONNS_PER_SOURCE };
