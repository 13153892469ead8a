'use strict';
// `make test-k6`: the conformance tier (test/k6-real/) on real k6 binaries. Without one it prints
// one line saying why and exits 0; with some, it names them, builds the runner (dist/, which the
// tests spawn) and runs the tier's tests in Jest.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { findK6 } = require('./k6-binaries');

const found = findK6();
if (found.binaries.length === 0) {
  console.log(`test-k6: skipped: ${found.why}`);
  process.exit(0);
}
console.log(`test-k6: ${found.binaries.map((b) => `k6 ${b.version} (${b.legacy ? '--k6-legacy' : 'default'} build)`).join(', ')}`);
const root = path.join(__dirname, '..', '..');
const built = spawnSync(process.execPath, [path.join(root, 'build', 'self.js')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(1);
const jest = require.resolve('jest/bin/jest');
const r = spawnSync(process.execPath, [jest, '--selectProjects', 'integration', '--runInBand', 'test/k6-real/'], { cwd: root, stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
