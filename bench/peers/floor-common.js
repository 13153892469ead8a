'use strict';
/**
 * What the two floor clients (floor.js: a bare `ws` client; floor-net.js: a raw `net` client)
 * share: their arguments, the schedule (connection i starts at i × ramp / conns, all end together
 * at ramp + hold, as wsbench's stages do), bucketed timers (pings and sends spread evenly with one
 * timer for all connections, never one per connection), and the summary they write. They count
 * only what the table needs: attempts, opens, failures by class, connect latency (start of the
 * attempt to open), pings/pongs, messages sent / acks / deliveries seen.
 */
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');

function parseArgs(argv) {
  const a = { pingMs: 0, mode: 'connect', rate: 10, size: 256, sendMs: 0, warmupMs: 1000, transport: 'ws' };
  const num = (k, v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) fail(`${k} takes a number >= 0 (got '${v}')`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--url') a.url = v;
    else if (k === '--conns') a.conns = num(k, v);
    else if (k === '--ramp-ms') a.rampMs = num(k, v);
    else if (k === '--hold-ms') a.holdMs = num(k, v);
    else if (k === '--ping-ms') a.pingMs = num(k, v);
    else if (k === '--mode') a.mode = v;
    else if (k === '--rate') a.rate = num(k, v);
    else if (k === '--size') a.size = num(k, v);
    else if (k === '--send-ms') a.sendMs = num(k, v);
    else if (k === '--warmup-ms') a.warmupMs = num(k, v);
    else if (k === '--transport') a.transport = v;
    else if (k === '--out') a.out = v;
    else if (k === '--sources') a.sources = v.split(',').filter(Boolean);
    else if (k === '--latencies-out') a.latenciesOut = v;
    else fail(`unknown argument ${k}`);
  }
  if (!a.url || !a.out || !(a.conns >= 1) || a.rampMs === undefined || a.holdMs === undefined) {
    fail('usage: --url ws://… --conns N --ramp-ms MS --hold-ms MS --out summary.json [--ping-ms MS] [--mode connect|messaging --rate R --size B --send-ms MS] [--transport ws|raw] [--sources ip,ip,…] [--latencies-out file]');
  }
  if (a.mode !== 'connect' && a.mode !== 'messaging') fail(`--mode takes connect or messaging (got '${a.mode}')`);
  return a;
}

function fail(msg) {
  process.stderr.write(`floor: ${msg}\n`);
  process.exit(1);
}

/** Counters of one run; latencies in a preallocated Float64Array (8 bytes per connection). */
function newStats(conns) {
  return {
    attempted: 0, opened: 0, failed: 0, closedEarly: 0, errors: {}, latencies: new Float64Array(conns), nLat: 0,
    pings: 0, pongs: 0, sent: 0, acks: 0, delivered: 0,
  };
}

function countError(stats, kind) {
  stats.errors[kind] = (stats.errors[kind] ?? 0) + 1;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

/**
 * Runs the schedule: `open(i)` for each connection at its start time (one 5 ms timer launches
 * whatever is due), `tick(bucket)` on BUCKETS buckets for periodic work, `end()` at ramp + hold.
 */
const BUCKETS = 20;
function schedule(a, { open, tick, tickPeriodMs, end }) {
  const t0 = performance.now();
  let next = 0;
  const launcher = setInterval(() => {
    const due = Math.min(a.conns, Math.floor(((performance.now() - t0) * a.conns) / Math.max(1, a.rampMs)) + 1);
    while (next < due) open(next++);
    if (next >= a.conns) clearInterval(launcher);
  }, 5);
  let ticker;
  if (tick && tickPeriodMs > 0) {
    // time-driven: a late timer catches up, so a busy machine does not lower the rate
    const step = tickPeriodMs / BUCKETS;
    let done = 0;
    ticker = setInterval(() => {
      const due = Math.floor((performance.now() - t0) / step);
      while (done < due) tick(done++ % BUCKETS);
    }, Math.max(1, step));
  }
  setTimeout(() => {
    clearInterval(launcher);
    if (ticker) clearInterval(ticker);
    end();
  }, a.rampMs + a.holdMs);
  return t0;
}

/** The frame wsbench's messaging scenario sends (scenarios/messaging.ts), padded to `size` bytes. */
function sendFrame(to, seq, size) {
  const start = `{"type":"send","to":"${to}","id":"${seq}","ts":${Math.round(Date.now() * 1000) / 1000},"body":"`;
  return `${start}${'x'.repeat(Math.max(0, size - start.length - 2))}"}`;
}

function writeSummary(a, stats, tool) {
  const lat = Array.from(stats.latencies.subarray(0, stats.nLat)).sort((x, y) => x - y);
  const out = {
    tool,
    settings: { conns: a.conns, rampMs: a.rampMs, holdMs: a.holdMs, pingMs: a.pingMs, mode: a.mode, rate: a.rate, size: a.size, sendMs: a.sendMs },
    connections: { attempted: stats.attempted, succeeded: stats.opened, failed: stats.failed, closedEarly: stats.closedEarly, errors: stats.errors },
    connectLatencyMs: { p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat.length ? lat[lat.length - 1] : null, count: lat.length },
    heartbeat: { pingsSent: stats.pings, pongsReceived: stats.pongs, pongRate: stats.pings ? stats.pongs / stats.pings : null },
    messages: { sent: stats.sent, acked: stats.acks, delivered: stats.delivered },
    rssMb: Math.round(process.memoryUsage.rss() / 1048576),
  };
  fs.writeFileSync(a.out, JSON.stringify(out, null, 2) + '\n');
  // every sample, as raw float64, for a parent that merges several floors' percentiles (floor-multi.js)
  if (a.latenciesOut) fs.writeFileSync(a.latenciesOut, Buffer.from(stats.latencies.buffer, 0, stats.nLat * 8));
}

module.exports = { parseArgs, newStats, countError, schedule, sendFrame, writeSummary, percentile, BUCKETS };
