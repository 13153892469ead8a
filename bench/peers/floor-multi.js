#!/usr/bin/env node
'use strict';
/**
 * The floor (floor.js, a bare `ws` client) spread over processes the way the runner spreads its
 * VUs: as many processes as the open-files limit needs (runner/limits.ts, through
 * bench/runner-sizing.js), each with an even share of the connections and, past 2,500 connections
 * in all, its own loopback source addresses at 2,500 connections each (runner/addresses.ts: the
 * kernel's search for a free port slows down past that on one address). This process only forks
 * the children, waits for them and merges their summaries; the latency percentiles are taken over
 * every sample of every child, not averaged.
 *
 *   node bench/peers/floor-multi.js --url ws://127.0.0.1:PORT/ws --conns 50000 --ramp-ms 60000 \
 *     --hold-ms 60000 [--ping-ms 30000] [--procs N] --out summary.json
 *
 * The children's files (summary-<k>.json, latencies-<k>.f64) go next to --out.
 */
const fs = require('node:fs');
const path = require('node:path');
const { fork } = require('node:child_process');
const { percentile } = require('./floor-common');
const { workersFor, CONNS_PER_SOURCE } = require('../runner-sizing');

function fail(msg) {
  process.stderr.write(`floor-multi: ${msg}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const a = { pingMs: 0 };
  const num = (k, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) fail(`${k} takes a whole number >= 0 (got '${v}')`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--url') a.url = v;
    else if (k === '--conns') a.conns = num(k, v);
    else if (k === '--ramp-ms') a.rampMs = num(k, v);
    else if (k === '--hold-ms') a.holdMs = num(k, v);
    else if (k === '--ping-ms') a.pingMs = num(k, v);
    else if (k === '--procs') a.procs = num(k, v);
    else if (k === '--out') a.out = v;
    else fail(`unknown argument ${k}`);
  }
  if (!a.url || !a.out || !(a.conns >= 1) || a.rampMs === undefined || a.holdMs === undefined) {
    fail('usage: --url ws://… --conns N --ramp-ms MS --hold-ms MS --out summary.json [--ping-ms MS] [--procs N]');
  }
  if (a.procs !== undefined && (a.procs < 1 || a.procs > a.conns)) fail(`--procs takes 1 to --conns (got ${a.procs})`);
  return a;
}

/** Loopback address number j (0-based): 127.0.0.1 … 127.0.0.254, then 127.0.1.1 …  */
const loopback = (j) => `127.0.${Math.floor(j / 254)}.${(j % 254) + 1}`;

/** Per child: its connections and its own source addresses (none when the whole run needs one). */
function plan(conns, procs) {
  const out = [];
  let nextAddress = 0;
  for (let k = 0; k < procs; k++) {
    const mine = Math.floor(conns / procs) + (k < conns % procs ? 1 : 0);
    const n = conns > CONNS_PER_SOURCE ? Math.ceil(mine / CONNS_PER_SOURCE) : 0;
    out.push({ conns: mine, sources: Array.from({ length: n }, (_, i) => loopback(nextAddress + i)) });
    nextAddress += n;
  }
  return out;
}

function merge(a, parts, latencies) {
  const sum = (f) => parts.reduce((n, p) => n + f(p), 0);
  const errors = {};
  for (const p of parts) for (const [k, n] of Object.entries(p.connections.errors)) errors[k] = (errors[k] ?? 0) + n;
  const lat = latencies.sort();
  const pings = sum((p) => p.heartbeat.pingsSent);
  const pongs = sum((p) => p.heartbeat.pongsReceived);
  return {
    tool: 'floor-multi',
    processes: parts.length,
    settings: { conns: a.conns, rampMs: a.rampMs, holdMs: a.holdMs, pingMs: a.pingMs },
    connections: {
      attempted: sum((p) => p.connections.attempted), succeeded: sum((p) => p.connections.succeeded),
      failed: sum((p) => p.connections.failed), closedEarly: sum((p) => p.connections.closedEarly), errors,
    },
    connectLatencyMs: { p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat.length ? lat[lat.length - 1] : null, count: lat.length },
    heartbeat: { pingsSent: pings, pongsReceived: pongs, pongRate: pings ? pongs / pings : null },
    children: parts.map((p, k) => ({ k, conns: p.settings.conns, succeeded: p.connections.succeeded, sources: p.sources })),
  };
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  const procs = a.procs ?? workersFor(a.conns);
  const dir = path.dirname(path.resolve(a.out));
  const shares = plan(a.conns, procs);
  const children = new Set();
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const c of children) c.kill('SIGTERM');
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const runs = shares.map((share, k) => new Promise((resolve) => {
    const args = ['--url', a.url, '--conns', String(share.conns), '--ramp-ms', String(a.rampMs), '--hold-ms', String(a.holdMs),
      '--ping-ms', String(a.pingMs), '--out', path.join(dir, `summary-${k}.json`), '--latencies-out', path.join(dir, `latencies-${k}.f64`)];
    if (share.sources.length > 0) args.push('--sources', share.sources.join(','));
    const child = fork(path.join(__dirname, 'floor.js'), args, { stdio: 'inherit' });
    children.add(child);
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ k, code, signal });
    });
  }));
  void Promise.all(runs).then((ends) => {
    if (stopping) return;
    const bad = ends.filter((e) => e.code !== 0);
    if (bad.length > 0) fail(`floor process(es) ${bad.map((e) => `${e.k} (exit ${e.code ?? e.signal})`).join(', ')} failed`);
    const parts = shares.map((share, k) => ({ ...JSON.parse(fs.readFileSync(path.join(dir, `summary-${k}.json`), 'utf8')), sources: share.sources.length }));
    const bufs = shares.map((_, k) => fs.readFileSync(path.join(dir, `latencies-${k}.f64`)));
    const all = new Float64Array(bufs.reduce((n, b) => n + b.length / 8, 0));
    let at = 0;
    for (const b of bufs) {
      all.set(new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)), at); // a copy: a pooled Buffer may sit unaligned
      at += b.length / 8;
    }
    fs.writeFileSync(a.out, JSON.stringify(merge(a, parts, all), null, 2) + '\n');
  });
}

main();
