#!/usr/bin/env node
'use strict';
/**
 * CPU seconds and peak RSS of a load generator's whole process tree, read from /proc.
 *
 *   node bench/peers/proctree.js --pid <root> --out <file.json> [--interval-ms 500]
 *
 * Every interval it walks /proc, keeps the root and all its descendants, and records for each
 * process (pid + start time, so a reused pid is a new process) the LAST utime+stime it showed;
 * the CPU figure is the sum of those last values. RSS is summed over the tree at each sample and
 * the peak sum kept. It stops when the root is gone (or on SIGTERM/SIGINT) and writes the JSON.
 *
 * Required as a module (bench/curve-procs.js), it exports parseStat, readAll, treeOf, getconf.
 *
 * Known error of the method: the CPU a process spends after its last sample (at most one
 * interval), and processes that live less than one interval, are not counted.
 */
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

function parseArgs(argv) {
  const args = { intervalMs: 500 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--pid') args.pid = Number(v);
    else if (k === '--out') args.out = v;
    else if (k === '--interval-ms') args.intervalMs = Number(v);
    else throw new Error(`unknown argument ${k}`);
  }
  if (!Number.isInteger(args.pid) || args.pid <= 0 || !args.out) {
    process.stderr.write('usage: proctree.js --pid <root pid> --out <file.json> [--interval-ms 500]\n');
    process.exit(1);
  }
  return args;
}

function getconf(name, fallback) {
  try {
    return Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim()) || fallback;
  } catch {
    return fallback;
  }
}

/**
 * One /proc/<pid>/stat line. The command name sits in parentheses and may hold spaces, so the
 * fields are counted from the last ')'; man proc(5) numbers them from 1 (state is field 3).
 */
function parseStat(text) {
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  const field = (n) => Number(f[n - 3]);
  return { comm, state: f[0], ppid: field(4), utime: field(14), stime: field(15), starttime: field(22), rssPages: field(24) };
}

/** Every live process as pid → stat (processes that vanish while we read are skipped). */
function readAll() {
  const all = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      all.set(Number(name), parseStat(fs.readFileSync(`/proc/${name}/stat`, 'utf8')));
    } catch {
      // gone between readdir and read
    }
  }
  return all;
}

/** The root and its descendants among `all`. */
function treeOf(root, all) {
  const children = new Map();
  for (const [pid, s] of all) {
    if (!children.has(s.ppid)) children.set(s.ppid, []);
    children.get(s.ppid).push(pid);
  }
  const out = [];
  const todo = all.has(root) ? [root] : [];
  while (todo.length > 0) {
    const pid = todo.pop();
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const ticksPerSec = getconf('CLK_TCK', 100);
  const pageBytes = getconf('PAGESIZE', 4096);
  /** key pid:starttime → last seen CPU ticks and name */
  const seen = new Map();
  let rootStart;
  let peakRssBytes = 0;
  let peakAtMs = 0;
  let samples = 0;
  const t0 = Date.now();

  function sample() {
    const all = readAll();
    const root = all.get(args.pid);
    if (!root || (rootStart !== undefined && root.starttime !== rootStart)) return false;
    rootStart ??= root.starttime;
    let rss = 0;
    for (const pid of treeOf(args.pid, all)) {
      const s = all.get(pid);
      seen.set(`${pid}:${s.starttime}`, { pid, comm: s.comm, utime: s.utime, stime: s.stime });
      rss += s.rssPages * pageBytes;
    }
    samples++;
    if (rss > peakRssBytes) {
      peakRssBytes = rss;
      peakAtMs = Date.now() - t0;
    }
    return root.state !== 'Z';
  }

  function finish() {
    clearInterval(timer);
    const processes = [...seen.values()].map((p) => ({ pid: p.pid, comm: p.comm, cpuSec: (p.utime + p.stime) / ticksPerSec }));
    const sum = (k) => [...seen.values()].reduce((a, p) => a + p[k], 0) / ticksPerSec;
    const result = {
      rootPid: args.pid,
      intervalMs: args.intervalMs,
      samples,
      wallSec: (Date.now() - t0) / 1000,
      cpuSec: sum('utime') + sum('stime'),
      userSec: sum('utime'),
      sysSec: sum('stime'),
      peakRssBytes,
      peakRssAtSec: peakAtMs / 1000,
      processes,
    };
    fs.writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
    process.exit(0);
  }

  const timer = setInterval(() => {
    if (!sample()) finish();
  }, args.intervalMs);
  process.on('SIGTERM', finish);
  process.on('SIGINT', finish);
  if (!sample()) finish();
}

if (require.main === module) main();
else module.exports = { parseStat, readAll, treeOf, getconf }; // bench/curve-procs.js samples trees with them
