'use strict';
// Which real k6 binaries the conformance tier (`make test-k6`, test/k6-real/) runs on: WSBENCH_K6
// names a k6 binary or a folder of k6-vX.Y.Z binaries; without it, `k6` on PATH. Plain CommonJS,
// so that the tier's entry (tier.js, before Jest) and the tests read the same rule.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** Every k6 process of the tier runs with these: no usage report, no extension download (nothing leaves the machine). */
const K6_ENV = { K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' };

/** The oldest k6 the legacy build supports (k6/timers, docs/k6.md), and the first the default build loads on (k6/websockets). */
const OLDEST = [0, 50, 0];
const DEFAULT_BUILD_FROM = [1, 6, 0];

const before = (a, b) => a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `k6 version` of a binary, as [major, minor, patch]; undefined when it does not answer like k6. */
function versionOf(bin) {
  let out;
  try {
    out = execFileSync(bin, ['version'], { env: { ...process.env, ...K6_ENV }, encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return undefined;
  }
  const m = /\bv(\d+)\.(\d+)\.(\d+)\b/.exec(out);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function onPath(env) {
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (dir !== '' && isExecutable(path.join(dir, 'k6'))) return path.join(dir, 'k6');
  }
  return undefined;
}

/**
 * The k6 binaries to run, newest first, each with its version and the build it loads (`legacy`:
 * the `--k6-legacy` build, for k6 < 1.6); or, when there is none, why (one line).
 */
function findK6(env = process.env) {
  const named = env.WSBENCH_K6;
  let candidates;
  let where;
  if (named) {
    where = `WSBENCH_K6=${named}`;
    if (!fs.existsSync(named)) return { binaries: [], why: `${where} does not exist` };
    candidates = fs.statSync(named).isDirectory()
      ? fs.readdirSync(named).filter((f) => /^k6-v\d+\.\d+\.\d+$/.test(f)).map((f) => path.join(named, f)).filter(isExecutable)
      : [named];
    if (candidates.length === 0) return { binaries: [], why: `${where} holds no k6-vX.Y.Z binary` };
  } else {
    const bin = onPath(env);
    if (!bin) return { binaries: [], why: 'no k6 binary: set WSBENCH_K6 to a k6 binary or a folder of k6-vX.Y.Z binaries, or put k6 on PATH' };
    where = bin;
    candidates = [bin];
  }
  const binaries = [];
  const old = [];
  for (const file of candidates) {
    const v = versionOf(file);
    if (!v) continue;
    const version = `v${v.join('.')}`;
    if (before(v, OLDEST)) old.push(version);
    else binaries.push({ path: file, version, parts: v, legacy: before(v, DEFAULT_BUILD_FROM) });
  }
  binaries.sort((a, b) => (before(a.parts, b.parts) ? 1 : -1));
  if (binaries.length === 0) {
    return { binaries, why: old.length > 0 ? `${where}: k6 ${old.join(', ')} is older than v0.50, which the bundles need` : `${where}: no binary answered \`k6 version\`` };
  }
  return { binaries: binaries.map(({ parts: _parts, ...b }) => b), why: undefined };
}

module.exports = { K6_ENV, findK6 };
