#!/usr/bin/env node
'use strict';
/**
 * The floor: a bare `ws` client doing the bench/peers load and counting only what the table needs
 * (floor-common.js). Everything above it in another tool's figures is that tool's own cost.
 *
 *   node bench/peers/floor.js --url ws://127.0.0.1:PORT/ws --conns 10000 --ramp-ms 30000 --hold-ms 30000 \
 *     [--ping-ms 5000] [--mode messaging --rate 10 --size 256 --send-ms 30000] [--transport raw] --out summary.json
 *     [--sources 127.0.0.1,127.0.0.2] [--latencies-out lat.f64]   (as floor-multi.js runs it)
 *
 * --transport raw uses wsbench's RawWebSocket (lib/node/raw-ws.ts, bundled by run.sh into
 * bench/.peers/raw-ws.js): the same client with its own upgrade, to show what that path saves.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { parseArgs, newStats, countError, schedule, sendFrame, writeSummary } = require('./floor-common');

const a = parseArgs(process.argv.slice(2));
const WebSocket = require(path.join(__dirname, '../../node_modules/ws'));
const Client = a.transport === 'raw' ? require(path.join(__dirname, '../.peers/raw-ws.js')).RawWebSocket : WebSocket;
const stats = newStats(a.conns);
const socks = new Array(a.conns);
const starts = new Float64Array(a.conns);
const seqs = a.mode === 'messaging' ? new Uint32Array(a.conns) : undefined;
const PING = Buffer.alloc(0);
let ending = false;

// shared handlers: `this` is the socket, its index in `this.i`
function onOpen() {
  this.up = true;
  stats.opened++;
  stats.latencies[stats.nLat++] = performance.now() - starts[this.i];
}
function onError(err) {
  if (!this.up) countError(stats, err.code ?? err.message.slice(0, 60));
}
function onClose() {
  if (this.up && !ending) stats.closedEarly++;
}
function onPong() {
  stats.pongs++;
}
function onMessage(data) {
  const c = data[9]; // {"type":"a…  /  {"type":"d…
  if (c === 0x61) stats.acks++;
  else if (c === 0x64) stats.delivered++;
}

function open(i) {
  stats.attempted++;
  starts[i] = performance.now();
  const url = a.mode === 'messaging' ? `${a.url}?uid=${i}` : a.url;
  // --sources: connection i from source address i mod n, as the runner rotates them (runner/executor.ts)
  const localAddress = a.sources ? a.sources[i % a.sources.length] : undefined;
  const ws = new Client(url, localAddress ? { perMessageDeflate: false, localAddress } : { perMessageDeflate: false });
  ws.i = i;
  ws.on('open', onOpen);
  ws.on('error', onError);
  ws.on('close', onClose);
  if (a.pingMs > 0) ws.on('pong', onPong);
  if (a.mode === 'messaging') ws.on('message', onMessage);
  socks[i] = ws;
}
// an attempt that never opened by the end is a failure (or still pending: counted the same, as not made)
const failed = () => stats.attempted - stats.opened;

let t0;
function tick(bucket) {
  const now = performance.now() - t0;
  const messaging = a.mode === 'messaging';
  if (messaging && (now < a.rampMs + a.warmupMs || now >= a.rampMs + a.warmupMs + a.sendMs)) return;
  for (let i = bucket; i < a.conns; i += 20) {
    const ws = socks[i];
    if (!ws || ws.readyState !== WebSocket.OPEN) continue;
    if (messaging) {
      ws.send(sendFrame(String((i + 1) % a.conns), seqs[i]++, a.size));
      stats.sent++;
    } else {
      ws.ping(PING);
      stats.pings++;
    }
  }
}

t0 = schedule(a, {
  open,
  tick,
  tickPeriodMs: a.mode === 'messaging' ? 1000 / a.rate : a.pingMs,
  end() {
    ending = true;
    stats.failed = failed();
    for (const ws of socks) ws?.terminate();
    writeSummary(a, stats, a.transport === 'raw' ? 'floor-raw' : 'floor');
    setImmediate(() => process.exit(0));
  },
});
