#!/usr/bin/env node
'use strict';
/**
 * Prints the bench/peers table from one results folder written by run.sh:
 *
 *   node bench/peers/compare.js bench/results/YYYYMMDD_HHMMSS
 *
 * Each tool's figures are read from that tool's own output (wsbench: summary.json; Artillery:
 * report.json; Tsung: tsung.log and tsung-fullstats.log), the server's from server.json
 * (server-stats.js) and the load generator's CPU and memory from proctree.json (proctree.js).
 * Nothing is estimated: a figure a tool does not report is printed as "—" with the reason.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const TOOLS = ['wsbench', 'artillery', 'tsung'];

const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);
const readText = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined);

/** Nearest-rank percentile of raw samples (what tsung_percentile.pl does, without interpolation). */
function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

function p50p99(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), count: sorted.length };
}

// ---- per-tool readers: each returns what that tool itself says ------------------------------

function readWsbench(dir) {
  const s = readJson(path.join(dir, 'summary.json'));
  const version = readJson(path.join(ROOT, 'package.json'))?.version;
  if (!s) return { version };
  const c = s.connections;
  const lat = { p50: s.connectLatencyMs.p50, p99: s.connectLatencyMs.p99 };
  return {
    version,
    made: { n: c.succeeded, detail: `connections.succeeded, of ${c.attempted} attempted` },
    connect: { ...lat, what: 'ws_connecting: TCP connect + WebSocket upgrade' },
    upgrade: lat,
    other: { ...s.heartbeat.rttMs, what: `ping → pong round trip (pong rate ${fmtPct(s.heartbeat.pongRate)})` },
    errors: c.errors ?? {},
  };
}

function readArtillery(dir) {
  const r = readJson(path.join(dir, 'report.json'));
  const version = readJson(path.join(ROOT, 'bench/.peers/node_modules/artillery/package.json'))?.version;
  if (!r) return { version };
  const counters = r.aggregate.counters ?? {};
  const errors = Object.fromEntries(Object.entries(counters).filter(([k]) => k.startsWith('errors.')).map(([k, v]) => [k.slice(7), v]));
  const session = r.aggregate.summaries?.['vusers.session_length'];
  return {
    version,
    made: {
      n: counters['vusers.completed'] ?? 0,
      detail: `vusers.completed (a VU completes only after its socket opened), of ${counters['vusers.created'] ?? 0} created, ${counters['vusers.failed'] ?? 0} failed`,
    },
    connect: undefined,
    connectWhy: 'no connect metric in the ws engine',
    other: session && { p50: session.p50, p99: session.p99, what: 'vusers.session_length: whole life of a VU (connect + hold)' },
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
    other: { ...p50p99(samples.request ?? []), what: 'request: each request to its answer (upgrade, echoed text pings, close)' },
    errors,
  };
}

const READERS = { wsbench: readWsbench, artillery: readArtillery, tsung: readTsung };

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
    load: [readText(path.join(dir, 'load-before')), readText(path.join(dir, 'load-after'))],
    cpuPressure: pressureShare(readText(path.join(dir, 'pressure-before')), readText(path.join(dir, 'pressure-after'))),
  };
}

/** Share of the tool's run in which some task waited for a CPU (PSI "some"), from two "ms totalUs" readings. */
function pressureShare(before, after) {
  const [t0, p0] = (before ?? '').split(' ').map(Number);
  const [t1, p1] = (after ?? '').split(' ').map(Number);
  if (!(t1 > t0) || !Number.isFinite(p0) || !Number.isFinite(p1) || !(p1 >= p0)) return undefined;
  return (p1 - p0) / 1000 / (t1 - t0);
}

// ---- formatting -------------------------------------------------------------------------------

function fmtPct(r) {
  return r === undefined ? '—' : `${(r * 100).toFixed(2)}%`;
}
const fmtMs = (v) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : v.toFixed(0));
const pair = (l) => (l && l.p50 !== undefined ? `${fmtMs(l.p50)} / ${fmtMs(l.p99)}` : '—');
const MiB = 1024 * 1024;

function errorsText(errors) {
  const e = Object.entries(errors ?? {}).filter(([, n]) => n > 0);
  return e.length === 0 ? 'none' : e.map(([k, n]) => `${k}: ${n}`).join(', ');
}

/** CONNS, RAMP_S, HOLD_S, PING_S from meta.txt's "settings:" line. */
function settingsOf(meta) {
  const line = /^settings: (.*)$/m.exec(meta)?.[1] ?? '';
  return Object.fromEntries([...line.matchAll(/([A-Z_]+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

/** Rows of [label, cell per tool]; every cell says where its number comes from when it is not obvious. */
function rows(tools, settings) {
  const plannedOpenSec = settings.CONNS * (settings.RAMP_S / 2 + settings.HOLD_S);
  const perK = (t, v) => {
    const made = t.server?.last?.accepted;
    return v === undefined || !made ? '—' : (v / (made / 1000)).toFixed(2);
  };
  const cell = (t, f, i) => (t.skipped ? (i === 0 ? `skipped: ${t.skipped}` : '') : f(t));
  return [
    ['Version', (t) => t.version ?? '?'],
    ['Connections made, as the tool says', (t) => (t.made ? `${t.made.n} (${t.made.detail})` : `no output (exit code ${t.exitCode})`)],
    ['Server: accepted', (t) => String(t.server?.last?.accepted ?? '—')],
    ['Server: peak open (sampled 1/s)', (t) => String(t.server?.peakOpen ?? '—')],
    ['Server: ramp seen (first → last accept, s, to the second)', (t) => {
      const sv = t.server;
      return sv?.lastAcceptAtSec === undefined ? '—' : `${(sv.lastAcceptAtSec - sv.firstAcceptAtSec).toFixed(0)} (planned ${settings.RAMP_S})`;
    }],
    ['Server: connection-seconds held (∑ open × time)', (t) =>
      t.server?.openSeconds === undefined ? '—' : `${t.server.openSeconds}${Number.isFinite(plannedOpenSec) ? ` (planned ${plannedOpenSec})` : ''}`],
    ['Server: heartbeats received', (t) => (t.server?.last ? `${t.server.last.pings} ping frames, ${t.server.last.framesIn} text frames` : '—')],
    ['Connect latency P50 / P99 (ms), as the tool reports it', (t) => (t.connect ? `${pair(t.connect)} (${t.connect.what})` : `— (${t.connectWhy ?? 'no output'})`)],
    ['TCP + upgrade P50 / P99 (ms)', (t) => (t.upgrade ? `${pair(t.upgrade)}${t.name === 'tsung' ? ' (tr_wsconnect transaction)' : ''}` : '—')],
    ['Other latency the tool reports, P50 / P99 (ms)', (t) => (t.other ? `${pair(t.other)} (${t.other.what})` : '—')],
    ['Errors the tool reports', (t) => (t.made ? errorsText(t.errors) : '—')],
    ['Load generator CPU (s, user + sys, whole process tree)', (t) => (t.tree ? `${t.tree.cpuSec.toFixed(1)} (${t.tree.userSec.toFixed(1)} + ${t.tree.sysSec.toFixed(1)})` : '—')],
    ['… per 1,000 connections (CPU s)', (t) => perK(t, t.tree?.cpuSec)],
    ['Load generator peak RSS (MiB, summed over the tree)', (t) => (t.tree ? (t.tree.peakRssBytes / MiB).toFixed(1) : '—')],
    ['… per 1,000 connections (MiB)', (t) => perK(t, t.tree && t.tree.peakRssBytes / MiB)],
    ['Tool wall time (s), processes seen', (t) => (t.tree ? `${t.tree.wallSec.toFixed(1)}, ${t.tree.processes.length}` : '—')],
    ['Load average before → after', (t) => (t.load[0] ? `${t.load[0]} → ${t.load[1] ?? '?'}` : '—')],
    ['CPU pressure during the run (PSI some: share of time a task waited for a CPU)', (t) => fmtPct(t.cpuPressure)],
  ].map(([label, f], i) => [label, ...tools.map((t) => cell(t, f, i))]);
}

function markdownTable(header, body) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  return [header, header.map(() => '---'), ...body].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}

function main() {
  const outDir = process.argv[2];
  if (!outDir || !fs.existsSync(outDir)) {
    process.stderr.write('usage: compare.js <results folder written by bench/peers/run.sh>\n');
    process.exit(1);
  }
  const tools = TOOLS.map((n) => readTool(outDir, n)).filter(Boolean);
  const meta = readText(path.join(outDir, 'meta.txt')) ?? '';
  const names = { wsbench: 'wsbench', artillery: 'Artillery (ws engine)', tsung: 'Tsung (ts_websocket)' };
  const out = [
    meta.split('\n').map((l) => `    ${l}`).join('\n'),
    '',
    markdownTable(['', ...tools.map((t) => names[t.name])], rows(tools, settingsOf(meta))),
    '',
    'Per 1,000 connections = figure / (connections the server accepted in that run / 1,000).',
  ];
  process.stdout.write(out.join('\n') + '\n');
}

if (require.main === module) main();

module.exports = { percentile, p50p99, tsungSamples, tsungTotals, pressureShare };
