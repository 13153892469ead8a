#!/usr/bin/env node
'use strict';
/**
 * The top items of a V8 CPU profile (`node --cpu-prof`), as bench/history.md's profile tables show
 * them: self time by function and by file, in % of the samples (idle excluded).
 *
 *   node bench/profile-top.js <file.cpuprofile> [--top 15]
 */
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const file = args[0];
const top = Number(args[args.indexOf('--top') + 1]) || 15;
if (!file || !fs.existsSync(file)) {
  process.stderr.write('usage: profile-top.js <file.cpuprofile> [--top N]\n');
  process.exit(1);
}
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const hits = new Map();
for (const id of prof.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
// time per sample: the profile's own deltas (µs)
const us = new Map();
prof.samples.forEach((id, i) => us.set(id, (us.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));

const short = (url) => {
  if (!url) return '(native)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 13);
  if (u.startsWith('node:')) return u;
  return path.relative(process.cwd(), u);
};
const fnKey = (n) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const fileKey = (n) => (n.callFrame.url ? short(n.callFrame.url) : n.callFrame.functionName);

const fns = new Map();
const files = new Map();
let total = 0;
let idle = 0;
for (const [id, t] of us) {
  const n = byId.get(id);
  const name = n.callFrame.functionName;
  if (name === '(idle)') {
    idle += t;
    continue;
  }
  total += t;
  fns.set(fnKey(n), (fns.get(fnKey(n)) ?? 0) + t);
  files.set(fileKey(n), (files.get(fileKey(n)) ?? 0) + t);
}
const list = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, t]) => `| ${((100 * t) / total).toFixed(1)}% | ${(t / 1e6).toFixed(2)} s | \`${k}\` |`);
console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle`);
console.log('\nSelf time by function:\n\n| share | time | function |\n| --- | --- | --- |');
console.log(list(fns).join('\n'));
console.log('\nSelf time by file:\n\n| share | time | file |\n| --- | --- | --- |');
console.log(list(files).join('\n'));
