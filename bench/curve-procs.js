'use strict';
/**
 * Processes of bench/curve.js: each tool and each server runs under /usr/bin/time, whose figure
 * (user + system CPU of the process and every descendant it and they waited for) is the exact CPU
 * total; a sampler walks /proc every 500 ms for the split by process kind and the peak RSS of the
 * tree (bench/peers/proctree.js's readers). Every process is ended by its PID, never by name.
 */
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { readAll, treeOf, getconf, parseStat } = require('./peers/proctree');

const TICKS = getconf('CLK_TCK', 100);
const PAGE = getconf('PAGESIZE', 4096);

/** `cmd args…` under /usr/bin/time; stdout and stderr to `log`. */
function startTimed(cmd, args, { log, timeFile, onStdout }) {
  const out = fs.openSync(log, 'w');
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, cmd, ...args], {
    stdio: ['ignore', onStdout ? 'pipe' : out, out],
    detached: true, // its own process group: a Ctrl-C reaches bench/curve.js alone, which passes it on once, by PID
  });
  if (onStdout) {
    child.stdout.on('data', (d) => {
      fs.writeSync(out, d);
      onStdout(String(d));
    });
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    fs.closeSync(out);
    resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
  }));
  return { pid: child.pid, exited };
}

/** What /usr/bin/time wrote: wall, user and system seconds (null when it wrote nothing usable). */
function readTime(file) {
  try {
    const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(fs.readFileSync(file, 'utf8'));
    return m ? { wallSec: Number(m[1]), cpuSec: Math.round((Number(m[2]) + Number(m[3])) * 100) / 100 } : null;
  } catch {
    return null;
  }
}

function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * The kind of a process under a `time` root: the command time runs is the coordinator (a tool) or
 * the primary (a server); the runner's dist/worker.js, floor.js and dist/server-worker.js are
 * workers; anything else (esbuild's service) is other.
 */
function kindOf(pid, parent, timePid) {
  if (parent === timePid) return 'main';
  return /(^|\/)(worker|floor|server-worker)\.js( |$)/.test(cmdline(pid)) ? 'workers' : 'other';
}

/** CPU ticks of a process's main thread (its thread id is its pid); undefined once it is gone. */
function threadTicks(pid) {
  try {
    const { utime, stime } = parseStat(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    return utime + stime;
  } catch {
    return undefined;
  }
}

/** Samples several `time` trees on one timer; result(name) gives each tree's figures. */
class Sampler {
  constructor(intervalMs = 500) {
    this.trees = new Map();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  watch(name, timePid) {
    this.trees.set(name, { timePid, seen: new Map(), peakRssBytes: 0, samples: 0 });
    this.sample();
  }

  sample() {
    if (this.trees.size === 0) return;
    const all = readAll();
    for (const t of this.trees.values()) {
      if (t.done || !all.has(t.timePid)) continue;
      let rss = 0;
      for (const pid of treeOf(t.timePid, all)) {
        if (pid === t.timePid) continue; // time itself: not the tool's
        const s = all.get(pid);
        // read each time: between fork and exec a child still shows its parent's command line
        // a zombie's command line is empty: a kind once known stays
        const known = t.seen.get(`${pid}:${s.starttime}`)?.kind;
        const kind = known && known !== 'other' ? known : kindOf(pid, s.ppid, t.timePid);
        // the main process's main thread apart: a runner of one worker runs it as a thread of this process
        const mainThread = kind === 'main' ? threadTicks(pid) : undefined;
        t.seen.set(`${pid}:${s.starttime}`, { kind, ticks: s.utime + s.stime, mainThread });
        rss += s.rssPages * PAGE;
      }
      t.samples++;
      t.peakRssBytes = Math.max(t.peakRssBytes, rss);
    }
  }

  /** Stops sampling a tree (its root exited): per kind its processes and last-seen CPU seconds. */
  result(name) {
    const t = this.trees.get(name);
    t.done = true;
    const kinds = {};
    for (const p of t.seen.values()) {
      const k = (kinds[p.kind] ??= { processes: 0, cpuSec: 0 });
      k.processes++;
      k.cpuSec += p.ticks / TICKS;
      if (p.mainThread !== undefined) k.mainThreadCpuSec = (k.mainThreadCpuSec ?? 0) + p.mainThread / TICKS;
    }
    return { peakRssBytes: t.peakRssBytes, samples: t.samples, kinds };
  }

  close() {
    clearInterval(this.timer);
  }
}

/** The process `time` runs (its one child), or undefined once it is gone. */
function childOf(timePid) {
  try {
    const c = fs.readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim().split(/\s+/)[0];
    return c ? Number(c) : undefined;
  } catch {
    return undefined;
  }
}

/** Signals a process and its descendants, by PID (children first). */
function signalTree(rootPid, signal) {
  const all = readAll();
  for (const pid of treeOf(rootPid, all).reverse()) {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

/** Waits for `exited` up to `ms`; on timeout TERMs the tree, then KILLs it 10 s later. */
async function waitBounded(proc, ms, onTimeout) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const first = await Promise.race([proc.exited, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  onTimeout();
  signalTree(proc.pid, 'SIGTERM');
  const kill = setTimeout(() => signalTree(proc.pid, 'SIGKILL'), 10_000);
  const code = await proc.exited;
  clearTimeout(kill);
  return code;
}

module.exports = { startTimed, readTime, Sampler, childOf, signalTree, waitBounded };
