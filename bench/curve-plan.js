'use strict';
/**
 * bench/curve.js's settings (environment variables, each checked: one line and exit 1 on bad
 * input) and its plan: the processes, source addresses and memory of the largest load, derived as
 * the runner derives them (runner/limits.ts, runner/addresses.ts), and the same checks as
 * bench/ws-200k.sh, so that a plan this machine cannot hold is refused before anything starts.
 */
const fs = require('node:fs');
const os = require('node:os');
const { openFilesLimit, connsPerProcess, workersFor, CONNS_PER_SOURCE } = require('./runner-sizing');

function fail(msg) {
  process.stderr.write(`bench-curve: ${msg}\n`);
  process.exit(1);
}

function whole(name, dflt, min) {
  const v = process.env[name] ?? String(dflt);
  if (!/^\d+$/.test(v) || Number(v) < min) fail(`${name} must be a whole number >= ${min} (got '${v}')`);
  return Number(v);
}

function settings(stamp) {
  const loadsText = process.env.LOADS ?? '10000,50000,100000,200000';
  const parts = loadsText.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) fail(`LOADS must be whole numbers >= 1, comma-separated, like 10000,50000 (got '${loadsText}')`);
  const loads = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  const s = {
    loads,
    holdS: whole('HOLD_S', 60, 1),
    pace: whole('PACE', 833, 1),
    pingS: whole('PING_S', 30, 1),
    pauseS: whole('PAUSE_S', 5, 0),
    planOnly: process.env.PLAN_ONLY === '1',
    out: process.env.OUT_DIR || `bench/results/${stamp}_curve`,
  };
  if (process.env.PLAN_ONLY !== undefined && !['0', '1'].includes(process.env.PLAN_ONLY)) fail(`PLAN_ONLY must be 0 or 1 (got '${process.env.PLAN_ONLY}')`);
  if (fs.existsSync(s.out) && !fs.statSync(s.out).isDirectory()) fail(`OUT_DIR ${s.out} exists and is not a folder`);
  return s;
}

const read = (file) => {
  try {
    return fs.readFileSync(file, 'utf8').trim().replace(/\s+/g, ' ');
  } catch {
    return undefined;
  }
};
const sysctl = (name) => read(`/proc/sys/${name.replace(/\./g, '/')}`);

/** One load's processes: what the runner would start for it (and the floor copies). */
function sizing(conns) {
  const procs = workersFor(conns);
  return { per: connsPerProcess(), workers: procs, serverWorkers: procs, sources: conns > CONNS_PER_SOURCE ? Math.ceil(conns / CONNS_PER_SOURCE) : 1 };
}

/** Ramp of a load at the pace (ms, at least 1 s). */
const rampMs = (conns, pace) => Math.max(1000, Math.round((conns * 1000) / pace));

function plan(s) {
  const big = s.loads[s.loads.length - 1];
  const z = sizing(big);
  const [lo, hi] = (read('/proc/sys/net/ipv4/ip_local_port_range') ?? '32768 60999').split(' ').map(Number);
  const ports = hi - lo + 1;
  const availMb = Math.floor(Number(/MemAvailable:\s+(\d+)/.exec(read('/proc/meminfo') ?? '')?.[1] ?? 0) / 1024);
  // as bench/ws-200k.sh: ~60 MiB per Node process, ~8 KiB per connection on each end
  const needMb = (z.workers + z.serverWorkers + 2) * 60 + Math.ceil((big * 16) / 1024);
  const per = s.loads.map((n) => `${n} (ramp ${(rampMs(n, s.pace) / 1000).toFixed(1)} s)`).join(', ');
  const secs = s.loads.reduce((t, n) => t + 2 * (rampMs(n, s.pace) / 1000 + s.holdS + s.pauseS + 5), 0);
  const lines = [
    `== plan: loads ${per} at ${s.pace}/s, each held ${s.holdS} s, pings every ${s.pingS} s; wsbench then the floor at each (~${Math.ceil(secs / 60)} min)`,
    `date: ${new Date().toISOString()}`,
    `host: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}; ` +
      `load average ${read('/proc/loadavg')?.split(' ').slice(0, 3).join(' ')}; CPU pressure ${read('/proc/pressure/cpu')?.split(' ').slice(1, 4).join(' ') ?? 'n/a'}`,
    `limits: ulimit -n ${openFilesLimit()} (→ ≤ ${z.per} connections per process); fs.file-max ${sysctl('fs.file-max') ?? 'absent'}`,
    `largest load ${big}: 1 coordinator + ${z.workers} workers (wsbench and floor alike), server 1 + ${z.serverWorkers > 1 ? z.serverWorkers : 0} processes`,
    `source addresses: ${z.sources} × ${ports} ephemeral ports (${lo}-${hi}); ${Math.ceil(big / z.sources)} connections each`,
    `net.core.somaxconn ${sysctl('net.core.somaxconn') ?? 'absent'}; nf_conntrack_max ${sysctl('net.netfilter.nf_conntrack_max') ?? 'absent'}, tracking ${sysctl('net.netfilter.nf_conntrack_count') ?? 'absent'}`,
    `memory: plan ~${needMb} MiB, available ${availMb} MiB`,
  ];
  const problems = [];
  if (ports < Math.ceil(big / z.sources)) problems.push(`ip_local_port_range gives ${ports} ports per source address, ${Math.ceil(big / z.sources)} needed`);
  if (availMb < needMb) problems.push(`memory available ${availMb} MiB < plan ${needMb} MiB`);
  const fm = sysctl('fs.file-max');
  if (fm !== undefined && Number(fm) < big * 2 + 10000) problems.push(`fs.file-max ${fm} < ${big * 2 + 10000} (both ends on this machine): sysctl -w fs.file-max=${big * 3}`);
  const ct = sysctl('net.netfilter.nf_conntrack_max');
  const ctn = sysctl('net.netfilter.nf_conntrack_count');
  if (ct !== undefined && ctn !== undefined && ctn !== '0' && Number(ct) < Math.ceil(big * 1.2) + Number(ctn)) {
    problems.push(`nf_conntrack_max ${ct} < ${Math.ceil(big * 1.2) + Number(ctn)} (tracking is on): sysctl -w net.netfilter.nf_conntrack_max=${big * 2}`);
  }
  const sc = sysctl('net.core.somaxconn');
  if (sc !== undefined && Number(sc) < 4096) problems.push(`net.core.somaxconn ${sc} < 4096: sysctl -w net.core.somaxconn=65535`);
  if (z.sources > 254 * 200) problems.push(`${z.sources} source addresses is more than this tool hands out`);
  const load1 = Number(read('/proc/loadavg')?.split(' ')[0]);
  const busy = load1 > os.cpus().length / 2 ? `!! load average ${load1} on ${os.cpus().length} cores: this machine is busy; the figures will include CPU queueing` : undefined;
  return { lines, problems, busy };
}

module.exports = { settings, plan, sizing, rampMs, fail };
