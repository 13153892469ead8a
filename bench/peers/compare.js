#!/usr/bin/env node
'use strict';
/**
 * Prints the bench/peers table of one results folder written by run.sh, every cost figure also
 * as a ratio to the floor (a bare `ws` client doing the same load) of the same run:
 *
 *   node bench/peers/compare.js bench/results/YYYYMMDD_HHMMSS_<load>
 *
 * Figures come from readers.js; the targets of issue 12 are checked below the table.
 */
const fs = require('node:fs');
const path = require('node:path');
const { readTool, readText, fmtPct, TOOLS } = require('./readers');

const MiB = 1024 * 1024;
const fmtMs = (v) => (v === undefined || v === null ? '—' : v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : v.toFixed(0));
const pair = (l) => (l && l.p50 !== undefined ? `${fmtMs(l.p50)} / ${fmtMs(l.p99)}` : '—');
const ratio = (v, f) => (v === undefined || f === undefined || !(f > 0) ? '' : ` (${(v / f).toFixed(2)}×)`);
const NAMES = {
  floor: 'floor (bare ws client)', 'floor-net': 'floor-net (raw net client)', 'floor-raw': 'floor-raw (RawWebSocket)',
  wsbench: 'wsbench', 'wsbench-ws': 'wsbench --transport ws', 'wsbench-raw': 'wsbench --transport raw', artillery: 'Artillery (ws engine)', tsung: 'Tsung (ts_websocket)',
};

function errorsText(errors) {
  const e = Object.entries(errors ?? {}).filter(([, n]) => n > 0);
  return e.length === 0 ? 'none' : e.map(([k, n]) => `${k}: ${n}`).join(', ');
}

/** LOAD and the whole-number settings from meta.txt's "settings:" line. */
function settingsOf(meta) {
  const line = /^settings: (.*)$/m.exec(meta)?.[1] ?? '';
  const s = Object.fromEntries([...line.matchAll(/([A-Z_]+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
  s.LOAD = /LOAD=([a-z]+)/.exec(line)?.[1] ?? 'ping';
  return s;
}

/** The cost figures of a tool, the ones shown as ratios to the floor. */
function costs(t) {
  const accepted = t.server?.last?.accepted;
  const delivered = t.server?.last?.delivered;
  const cpu = t.tree?.cpuSec;
  const rss = t.tree && t.tree.peakRssBytes / MiB;
  return {
    cpu, rss, server: t.serverCpuSec,
    cpuPerK: cpu !== undefined && accepted ? cpu / (accepted / 1000) : undefined,
    rssKbPerConn: rss !== undefined && accepted ? (rss * 1024) / accepted : undefined,
    cpuPerKMsg: cpu !== undefined && delivered ? cpu / (delivered / 1000) : undefined,
    p99: t.upgrade?.p99,
  };
}

function rows(tools, st, floor) {
  const fc = floor ? costs(floor) : {};
  const messaging = st.LOAD === 'messaging';
  const plannedOpenSec = st.CONNS * (st.RAMP_S / 2 + st.HOLD_S);
  const withRatio = (digits, key) => (t) => {
    const v = costs(t)[key];
    return v === undefined ? '—' : `${v.toFixed(digits)}${t === floor ? '' : ratio(v, fc[key])}`;
  };
  const list = [
    ['Version', (t) => t.version ?? '?'],
    ['Connections made, as the tool says', (t) => (t.made ? `${t.made.n} (${t.made.detail})` : `no output (exit code ${t.exitCode})`)],
    ['Server: accepted', (t) => `${t.server?.last?.accepted ?? '—'}${t.server?.finalRead === false ? ' (STALE: the server\'s final counters could not be read; an earlier sample)' : ''}`],
    ['Server: peak open (sampled 1/s)', (t) => String(t.server?.peakOpen ?? '—')],
    ['Server: ramp seen (first → last accept, s)', (t) => {
      const sv = t.server;
      return sv?.lastAcceptAtSec === undefined ? '—' : `${(sv.lastAcceptAtSec - sv.firstAcceptAtSec).toFixed(0)} (planned ${st.RAMP_S})`;
    }],
    ['Server: connection-seconds held', (t) => (t.server?.openSeconds === undefined ? '—' : `${t.server.openSeconds} (planned ${plannedOpenSec})`)],
  ];
  if (messaging) {
    const planned = st.CONNS * st.RATE * st.SEND_S;
    list.push(['Server: sends received / acked / delivered', (t) => (t.server?.last ? `${t.server.last.framesIn} / ${t.server.last.acked} / ${t.server.last.delivered} (planned ${planned})` : '—')]);
    list.push(['Messages as the tool says: sent / acks / deliveries', (t) => (t.msgs ? `${t.msgs.sent} / ${t.msgs.acked ?? '—'} / ${t.msgs.delivered ?? '—'}` : '— (not counted by the tool)')]);
  } else {
    list.push(['Server: heartbeats received', (t) => (t.server?.last ? `${t.server.last.pings} ping frames, ${t.server.last.framesIn} text frames` : '—')]);
  }
  list.push(
    ['Connect latency P50 / P99 (ms), as the tool reports it', (t) => (t.connect ? `${pair(t.connect)} (${t.connect.what})` : `— (${t.connectWhy ?? 'no output'})`)],
    ['TCP + upgrade P50 / P99 (ms)', (t) => (t.upgrade ? `${pair(t.upgrade)}${t.name === 'tsung' ? ' (tr_wsconnect)' : ''}${t === floor ? '' : ratio(t.upgrade.p99, fc.p99)}` : '—')],
    ['Other latency the tool reports, P50 / P99 (ms)', (t) => (t.other ? `${pair(t.other)} (${t.other.what})` : '—')],
    ['Errors the tool reports', (t) => (t.made ? errorsText(t.errors) : '—')],
    ['Load generator CPU (s, user + sys, whole tree) (× floor)', withRatio(1, 'cpu')],
    ['… per 1,000 connections (CPU s)', withRatio(2, 'cpuPerK')],
  );
  if (messaging) list.push(['… per 1,000 delivered messages (CPU s)', withRatio(3, 'cpuPerKMsg')]);
  list.push(
    ['Load generator peak RSS (MiB, summed over the tree) (× floor)', withRatio(1, 'rss')],
    ['… per connection (KiB)', withRatio(1, 'rssKbPerConn')],
    ['Server CPU during the run (s; apart from the tool\'s)', withRatio(1, 'server')],
    ['Tool wall time (s), processes seen', (t) => (t.tree ? `${t.tree.wallSec.toFixed(1)}, ${t.tree.processes.length}` : '—')],
    ['Load average before → after', (t) => (t.load[0] ? `${t.load[0]} → ${t.load[1] ?? '?'}` : '—')],
    ['CPU pressure during the run (PSI some)', (t) => fmtPct(t.cpuPressure)],
  );
  const cell = (t, f, i) => (t.skipped ? (i === 0 ? `skipped: ${t.skipped}` : '') : f(t));
  return list.map(([label, f], i) => [label, ...tools.map((t) => cell(t, f, i))]);
}

/** Issue 12's targets for each wsbench column that ran (default, --transport ws, --transport raw), each with by how much it is met or missed. */
function targets(tools, st, floor) {
  const runs = tools.filter((t) => t.name.startsWith('wsbench') && !t.skipped && t.tree);
  if (runs.length === 0 || !floor) return ['Targets: need wsbench and floor in the same run.'];
  const fc = costs(floor);
  const tsung = tools.find((t) => t.name === 'tsung' && !t.skipped);
  const art = tools.find((t) => t.name === 'artillery' && !t.skipped);
  const out = [];
  const check = (what, v, limit, cmp = '≤') => {
    if (v === undefined || !Number.isFinite(v)) return out.push(`- ${what}: n/a`);
    const ok = cmp === '≤' ? v <= limit : v >= limit;
    out.push(`- ${what}: ${v.toFixed(2)} (target ${cmp} ${limit}) ${ok ? 'met' : `NOT met, by ${Math.abs(v - limit).toFixed(2)}`}`);
  };
  for (const w of runs) {
    const wc = costs(w);
    const who = NAMES[w.name];
    if (st.LOAD === 'messaging') {
      check(`${who} CPU per delivered message, × floor`, wc.cpuPerKMsg / fc.cpuPerKMsg, 1.1);
      for (const p of [tsung, art].filter(Boolean)) check(`${NAMES[p.name]} CPU per delivered message ÷ ${who}'s`, costs(p).cpuPerKMsg / wc.cpuPerKMsg, 1, '≥');
    } else {
      check(`${who} CPU, × floor`, wc.cpu / fc.cpu, 1.2);
      check(`${who} tree RSS, × floor`, wc.rss / fc.rss, 1.3);
      check(`stretch: ${who} CPU, × floor`, wc.cpu / fc.cpu, 1.0);
      if (tsung) {
        check(`Tsung CPU per connection ÷ ${who}'s`, costs(tsung).cpuPerK / wc.cpuPerK, 1.5, '≥');
        check(`Tsung memory per connection ÷ ${who}'s`, costs(tsung).rssKbPerConn / wc.rssKbPerConn, 1.5, '≥');
      }
    }
  }
  return ['Targets (issue 12; meaningful only on a quiet machine at full scale):', ...out];
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
  const st = settingsOf(meta);
  const floor = tools.find((t) => t.name === 'floor' && !t.skipped && t.tree);
  const out = [
    meta.split('\n').map((l) => `    ${l}`).join('\n'),
    '',
    markdownTable(['', ...tools.map((t) => NAMES[t.name])], rows(tools, st, floor)),
    '',
    '(r×) = the figure ÷ the floor\'s (bare `ws` client) in the same run. Per 1,000 connections / per connection: ÷ connections the server accepted;',
    'per delivered message: ÷ messages the server delivered. The server\'s CPU is its own process, counted apart from every tool\'s.',
    '',
    ...targets(tools, st, floor),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

if (require.main === module) main();

module.exports = { settingsOf, costs };
