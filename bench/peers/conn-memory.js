#!/usr/bin/env node --expose-gc
'use strict';
/**
 * Memory per open connection of one client: `ws` or wsbench's RawWebSocket (the bundle run.sh
 * builds into bench/.peers/raw-ws.js). Opens N connections to URL, waits for all to open, collects
 * garbage, and prints (RSS, heap) after − before, divided by N. One process per client: run it twice.
 *
 *   node --expose-gc bench/peers/conn-memory.js --url ws://127.0.0.1:PORT/ws --conns 5000 --transport ws|raw
 */
const path = require('node:path');
const a = { conns: 5000, transport: 'ws' };
for (let i = 2; i < process.argv.length; i += 2) a[process.argv[i].slice(2)] = process.argv[i + 1];
if (!a.url || typeof global.gc !== 'function') {
  process.stderr.write('usage: node --expose-gc bench/peers/conn-memory.js --url ws://… [--conns N] [--transport ws|raw]\n');
  process.exit(1);
}
const WebSocket = require(path.join(__dirname, '../../node_modules/ws'));
const Client = a.transport === 'raw' ? require(path.join(__dirname, '../.peers/raw-ws.js')).RawWebSocket : WebSocket;
const n = Number(a.conns);
const socks = [];
let open = 0;
let failed = 0;
function onOpen() {
  if (++open + failed === n) measure();
}
function onError() {
  if (open + ++failed === n) measure();
}
const mem = () => {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
};
const before = mem();
let i = 0;
const timer = setInterval(() => {
  for (let k = 0; k < 100 && i < n; k++, i++) {
    const ws = new Client(a.url, { perMessageDeflate: false });
    ws.on('open', onOpen);
    ws.on('error', onError);
    socks.push(ws);
  }
  if (i >= n) clearInterval(timer);
}, 10);
function measure() {
  setTimeout(() => {
    const after = mem();
    const kb = (x) => ((x / 1024) / Math.max(1, open)).toFixed(2);
    console.log(`${a.transport}: ${open} open, ${failed} failed; per connection: RSS ${kb(after.rss - before.rss)} KiB, JS heap + external ${kb(after.heap - before.heap)} KiB`);
    for (const s of socks) s.terminate();
    setTimeout(() => process.exit(0), 200);
  }, 500);
}
