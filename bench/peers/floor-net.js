#!/usr/bin/env node
'use strict';
/**
 * The second floor: a raw `net` client with no `http` and no `ws`. It writes the upgrade request
 * itself, checks the 101 and Sec-WebSocket-Accept, and for the ping load writes masked ping frames
 * and counts the pong frames it reads (a minimal frame reader: only what the server sends here).
 * Same arguments and summary as floor.js (connect and ping loads only).
 *
 *   node bench/peers/floor-net.js --url ws://127.0.0.1:PORT/ws --conns N --ramp-ms MS --hold-ms MS [--ping-ms MS] --out summary.json
 */
const crypto = require('node:crypto');
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const { parseArgs, newStats, countError, schedule, writeSummary } = require('./floor-common');

const a = parseArgs(process.argv.slice(2));
if (a.mode !== 'connect') {
  process.stderr.write('floor-net: only --mode connect (the messaging load has floor.js)\n');
  process.exit(1);
}
const u = new URL(a.url);
const HOST = u.hostname;
const PORT = Number(u.port) || 80;
const HEAD = `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: `;
// a masked ping with an empty payload and a zero mask (legal: the mask is the client's choice)
const PING = Buffer.from([0x89, 0x80, 0, 0, 0, 0]);
const stats = newStats(a.conns);
const socks = new Array(a.conns);
const starts = new Float64Array(a.conns);
let ending = false;

// per socket: i (index), st (0 upgrading, 1 open), buf (partial head or frame bytes), key
function onConnectError(err) {
  if (this.st !== 1) countError(stats, err.code ?? err.message);
}
function onClose() {
  if (this.st === 1 && !ending) stats.closedEarly++;
  this.st = 2;
}
function onData(chunk) {
  if (this.st === 1) return readFrames(this, chunk);
  const buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    this.buf = buf;
    return;
  }
  this.buf = undefined;
  const head = buf.toString('latin1', 0, end);
  const accept = crypto.createHash('sha1').update(`${this.key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  if (!head.startsWith('HTTP/1.1 101') || !new RegExp(`\\r\\nsec-websocket-accept: *${accept.replace(/[+/=]/g, '\\$&')}\\r?$`, 'im').test(head)) {
    countError(stats, head.startsWith('HTTP/1.1 101') ? 'bad Sec-WebSocket-Accept' : `HTTP ${head.slice(9, 12)}`);
    this.st = 2;
    this.destroy();
    return;
  }
  this.st = 1;
  this.key = undefined;
  stats.opened++;
  stats.latencies[stats.nLat++] = performance.now() - starts[this.i];
  if (buf.length > end + 4) readFrames(this, buf.subarray(end + 4));
}

/** Counts pong frames (opcode 10); skips any other frame. Server frames are unmasked. */
function readFrames(s, chunk) {
  let buf = s.buf ? Buffer.concat([s.buf, chunk]) : chunk;
  for (;;) {
    if (buf.length < 2) break;
    let len = buf[1] & 0x7f;
    let at = 2;
    if (len === 126) {
      if (buf.length < 4) break;
      len = buf.readUInt16BE(2);
      at = 4;
    } else if (len === 127) {
      if (buf.length < 10) break;
      len = Number(buf.readBigUInt64BE(2));
      at = 10;
    }
    if (buf.length < at + len) break;
    if ((buf[0] & 0x0f) === 0x0a) stats.pongs++;
    buf = buf.subarray(at + len);
  }
  s.buf = buf.length > 0 ? Buffer.from(buf) : undefined;
}

function open(i) {
  stats.attempted++;
  starts[i] = performance.now();
  const s = net.connect(PORT, HOST);
  s.i = i;
  s.st = 0;
  s.key = crypto.randomBytes(16).toString('base64');
  s.setNoDelay(true);
  s.on('error', onConnectError);
  s.on('close', onClose);
  s.on('data', onData);
  s.write(`${HEAD}${s.key}\r\n\r\n`);
  socks[i] = s;
}

function tick(bucket) {
  for (let i = bucket; i < a.conns; i += 20) {
    const s = socks[i];
    if (!s || s.st !== 1) continue;
    s.write(PING);
    stats.pings++;
  }
}

schedule(a, {
  open,
  tick,
  tickPeriodMs: a.pingMs,
  end() {
    ending = true;
    stats.failed = stats.attempted - stats.opened;
    for (const s of socks) s?.destroy();
    writeSummary(a, stats, 'floor-net');
    setImmediate(() => process.exit(0));
  },
});
