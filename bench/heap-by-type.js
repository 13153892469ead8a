#!/usr/bin/env node
/**
 * A heap snapshot's objects summed by type (constructor or V8's node type), largest first: what a
 * process keeps per connection when divided by its connections (bench/socket-memory.js writes one).
 *
 *   node bench/heap-by-type.js file.heapsnapshot [connections] [rows, default 30]
 */
const fs = require('node:fs');

const [file, connsArg, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/heap-by-type.js file.heapsnapshot [connections] [rows]');
  process.exit(1);
}
const conns = Number(connsArg ?? 1);
const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
const f = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((k) => f.indexOf(k));
const sums = new Map();
for (let i = 0; i < snap.nodes.length; i += f.length) {
  const type = types[snap.nodes[i + iType]];
  const key = type === 'object' || type === 'closure' ? `${type} ${snap.strings[snap.nodes[i + iName]]}` : type;
  const e = sums.get(key) ?? { n: 0, bytes: 0 };
  e.n++;
  e.bytes += snap.nodes[i + iSize];
  sums.set(key, e);
}
const rows = [...sums].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(rowsArg ?? 30));
for (const [k, e] of rows) console.log(`${(e.bytes / conns).toFixed(1).padStart(8)} B/conn ${(e.n / conns).toFixed(2).padStart(7)} /conn  ${k}`);
