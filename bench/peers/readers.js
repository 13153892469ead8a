'use strict';
/**
 * bench/peers: each tool's own figures, read from its own output in <results>/<tool>/ (wsbench
 * and the floors: summary.json; Artillery: report.json; Tsung: tsung.log and tsung-fullstats.log),
 * plus the tree's CPU/RSS (proctree.json), the server's counters (server.json) and the server's
 * CPU during the tool's run (server-cpu-before/after). Nothing is estimated: what a tool does not
 * report stays undefined and prints as "—".
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);
const readText = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined);
const fmtPct = (r) => (r === undefined || r === null ? '—' : `${(r * 100).toFixed(2)}%`);

/** Nearest-rank percentile of raw samples (what tsung_percentile.pl does, without interpolation). */
function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

function p50p99(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length };
}

/** The client a wsbench run used, from its results folder's raw/totals.json (docs/transport.md), or undefined. */
const transportOf = (dir) => readJson(path.join(dir, 'results', 'raw', 'totals.json'))?.options?.transport;

function readWsbench(dir) {
  const s = readJson(path.join(dir, 'summary.json'));
  const transport = transportOf(dir);
  const version = `${readJson(path.join(ROOT, 'package.json'))?.version}${transport ? `, ${transport} client` : ''}`;
  if (!s) return { version };
  const c = s.connections;
  const lat = { p50: s.connectLatencyMs.p50, p99: s.connectLatencyMs.p99 };
  const m = s.messages;
  return {
    version,
    made: { n: c.succeeded, detail: `connections.succeeded, of ${c.attempted} attempted` },
    connect: { ...lat, what: 'ws_connecting: TCP connect + WebSocket upgrade' },
    upgrade: lat,
    other: s.heartbeat.pingsSent > 0 ? { ...s.heartbeat.rttMs, what: `ping → pong round trip (pong rate ${fmtPct(s.heartbeat.pongRate)})` }
      : m?.sent > 0 && m.latencyMs?.p50 != null ? { ...m.latencyMs, what: 'delivery latency (send → deliver)' } : undefined,
    msgs: m?.sent > 0 ? { sent: m.sent, acked: m.acked, delivered: m.delivered } : undefined,
    errors: c.errors ?? {},
  };
}

function readFloor(dir) {
  const s = readJson(path.join(dir, 'summary.json'));
  const version = s?.tool === 'floor-net' ? `node ${process.versions.node} net` : `ws ${readJson(path.join(ROOT, 'node_modules/ws/package.json'))?.version}`;
  if (!s) return { version };
  const lat = { p50: s.connectLatencyMs.p50 ?? undefined, p99: s.connectLatencyMs.p99 ?? undefined };
  return {
    version: s.tool === 'floor-raw' ? `wsbench RawWebSocket + ${version}` : version,
    made: { n: s.connections.succeeded, detail: `opened, of ${s.connections.attempted} attempted` },
    connect: { ...lat, what: 'start of the attempt → open (TCP + upgrade)' },
    upgrade: lat,
    other: s.heartbeat.pingsSent > 0 ? { what: `no latency kept; pong rate ${fmtPct(s.heartbeat.pongRate)}` } : undefined,
    msgs: s.settings.mode === 'messaging' ? { sent: s.messages.sent, acked: s.messages.acked, delivered: s.messages.delivered } : undefined,
    errors: s.connections.errors,
  };
}

function readArtillery(dir) {
  const r = readJson(path.join(dir, 'report.json'));
  const version = readJson(path.join(ROOT, 'bench/.peers/node_modules/artillery/package.json'))?.version;
  if (!r) return { version };
  const counters = r.aggregate.counters ?? {};
  const errors = Object.fromEntries(Object.entries(counters).filter(([k]) => k.startsWith('errors.')).map(([k, v]) => [k.slice(7), v]));
  const session = r.aggregate.summaries?.['vusers.session_length'];
  const sent = counters['peers.msgs_sent'];
  return {
    version,
    made: {
      n: counters['vusers.completed'] ?? 0,
      detail: `vusers.completed (a VU completes only after its socket opened), of ${counters['vusers.created'] ?? 0} created, ${counters['vusers.failed'] ?? 0} failed`,
    },
    connect: undefined,
    connectWhy: 'no connect metric in the ws engine',
    other: session && { p50: session.p50, p99: session.p99, what: 'vusers.session_length: whole life of a VU (connect + hold)' },
    msgs: sent !== undefined ? { sent, acked: counters['peers.acks'] ?? 0, delivered: counters['peers.delivered'] ?? 0 } : undefined,
    errors,
  };
}

/** Tsung's counters: the last cumulative value of each `stats: NAME interval total` line. */
function tsungTotals(logText) {
  const totals = {};
  for (const m of logText.matchAll(/^stats: ([a-z_0-9]+) (\d+) (\d+)$/gm)) totals[m[1]] = Number(m[3]);
  return totals;
}

/** Raw samples from tsung-fullstats.log: `{sample,NAME,X}` and `{sample,NAME,[X,Y,...]}`. */
function tsungSamples(text) {
  const out = {};
  // Erlang's pretty printer wraps long lists over several lines
  for (const m of text.matchAll(/\{sample,\s*([a-z_0-9]+),\s*(\[[^\]]*\]|[-0-9.e]+)\s*\}/g)) {
    const values = m[2].startsWith('[') ? m[2].slice(1, -1).split(',').map((v) => v.trim()).filter(Boolean).map(Number) : [Number(m[2])];
    (out[m[1]] ??= []).push(...values);
  }
  return out;
}

function readTsung(dir) {
  const logRoot = path.join(dir, 'log');
  const runs = fs.existsSync(logRoot) ? fs.readdirSync(logRoot).sort() : [];
  const runDir = runs.length > 0 ? path.join(logRoot, runs[runs.length - 1]) : undefined;
  const log = runDir && readText(path.join(runDir, 'tsung.log'));
  const full = runDir && readText(path.join(runDir, 'tsung-fullstats.log'));
  const controller = runDir && fs.readdirSync(runDir).find((f) => f.startsWith('tsung_controller'));
  const version = controller && /Tsung version: ([\d.]+)/.exec(fs.readFileSync(path.join(runDir, controller), 'utf8'))?.[1];
  if (!log || !full) return { version };
  const totals = tsungTotals(log);
  const samples = tsungSamples(full);
  const errors = Object.fromEntries(Object.entries(totals).filter(([k]) => k.startsWith('error')));
  const started = totals.users_count ?? 0;
  const finished = totals.finish_users_count ?? 0;
  // <load duration> ends the test with one error_abort; it cut no session short if every user had finished
  if (errors.error_abort === 1 && finished === started) {
    delete errors.error_abort;
    errors['error_abort (the stop at <load duration>, after every user finished)'] = 1;
  }
  const tcp = p50p99(samples.connect ?? []);
  return {
    version,
    made: { n: totals.websocket_succ ?? 0, detail: `websocket_succ, of ${started} users started, ${finished} finished` },
    connect: { ...tcp, what: 'connect: the TCP connect alone (raw samples, backend="fullstats")' },
    tcp,
    upgrade: p50p99(samples.tr_wsconnect ?? []),
    other: { ...p50p99(samples.request ?? []), what: 'request: each request to its answer (upgrade, echoed text pings / sends, close)' },
    errors,
  };
}

const READERS = { floor: readFloor, 'floor-net': readFloor, 'floor-raw': readFloor, wsbench: readWsbench, 'wsbench-ws': readWsbench, 'wsbench-raw': readWsbench, artillery: readArtillery, tsung: readTsung };

/** Share of the tool's run in which some task waited for a CPU (PSI "some"), from two "ms totalUs" readings. */
function pressureShare(before, after) {
  const [t0, p0] = (before ?? '').split(' ').map(Number);
  const [t1, p1] = (after ?? '').split(' ').map(Number);
  if (!(t1 > t0) || !Number.isFinite(p0) || !Number.isFinite(p1) || !(p1 >= p0)) return undefined;
  return (p1 - p0) / 1000 / (t1 - t0);
}

/** The server's CPU seconds during the tool's run, from two "ticks clk_tck" readings. */
function serverCpu(before, after) {
  const [b, hz] = (before ?? '').split(' ').map(Number);
  const [a] = (after ?? '').split(' ').map(Number);
  return Number.isFinite(a) && Number.isFinite(b) && hz > 0 ? (a - b) / hz : undefined;
}

function readTool(outDir, name) {
  const dir = path.join(outDir, name);
  if (!fs.existsSync(dir)) return undefined;
  const skipped = readText(path.join(dir, 'skipped.txt'));
  if (skipped) return { name, skipped };
  return {
    name,
    ...READERS[name](dir),
    exitCode: readText(path.join(dir, 'exit-code')),
    tree: readJson(path.join(dir, 'proctree.json')),
    server: readJson(path.join(dir, 'server.json')),
    serverCpuSec: serverCpu(readText(path.join(dir, 'server-cpu-before')), readText(path.join(dir, 'server-cpu-after'))),
    load: [readText(path.join(dir, 'load-before')), readText(path.join(dir, 'load-after'))],
    cpuPressure: pressureShare(readText(path.join(dir, 'pressure-before')), readText(path.join(dir, 'pressure-after'))),
  };
}

module.exports = { readTool, readText, fmtPct, percentile, p50p99, tsungSamples, tsungTotals, pressureShare, serverCpu, TOOLS: Object.keys(READERS) };
