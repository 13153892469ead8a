#!/usr/bin/env node
'use strict';
/**
 * make bench-curve: the cost curve of issue 26. At each load of LOADS, connect-only, ramped at PACE
 * connections a second, held HOLD_S, pings every PING_S: first wsbench (`runner run
 * scenarios/connect-only.ts`), then the floor (bench/peers/floor-multi.js: bare `ws` clients over
 * as many processes as the runner uses), each against a fresh embedded server cluster
 * (`runner serve --workers W`, W as the runner sizes it). Per load and tool: CPU-ms and KiB (peak
 * RSS) per connection of the load generator's process tree and of the server's apart, the CPU
 * share of each process kind, connect P50/P99, wsbench as a ratio to the floor; then the ratios of
 * the largest load to the smallest. Tables in Markdown (bench/curve-table.js) and every output in
 * OUT_DIR. Settings and plan: bench/curve-plan.js; processes: bench/curve-procs.js.
 *
 *   make bench-curve                                   # 10K, 50K, 100K, 200K (~25 min, a quiet machine)
 *   LOADS=1000,3000 HOLD_S=10 make bench-curve         # a small check of the same plan
 *   PLAN_ONLY=1 make bench-curve                       # the plan and its checks only
 */
const fs = require('node:fs');
const path = require('node:path');
const { settings, plan, sizing, rampMs } = require('./curve-plan');
const { startTimed, readTime, Sampler, childOf, signalTree, waitBounded } = require('./curve-procs');
const { tables } = require('./curve-table');

process.chdir(path.join(__dirname, '..'));
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
const s = settings(stamp);
const p = plan(s);
fs.mkdirSync(s.out, { recursive: true });
const planText = [...p.lines, ...(p.busy ? [p.busy] : [])].join('\n');
console.log(planText);
fs.writeFileSync(path.join(s.out, 'plan.txt'), planText + '\n');
if (p.problems.length > 0) {
  process.stderr.write(`bench-curve: this machine cannot hold ${s.loads[s.loads.length - 1]} connections:\n${p.problems.map((x) => `  - ${x}\n`).join('')}`);
  process.exit(1);
}
if (s.planOnly) {
  console.log('plan only (PLAN_ONLY=1): the machine can hold it; nothing was run');
  process.exit(0);
}
if (!fs.existsSync('dist/cli.js')) {
  process.stderr.write('bench-curve: dist/cli.js is missing: npm run build (make bench-curve builds it)\n');
  process.exit(1);
}

const sampler = new Sampler();
const live = new Set(); // time pids still running: ended by PID on the way out
let stopping = false;
let current; // { tool, server } of the run under way
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function onStop() {
  if (stopping) return;
  stopping = true;
  console.log('\nbench-curve: stopping (the run under way ends and is reported; no further load starts)');
  // the runner reports what it measured; the floor stops (time may not have started it yet: retry)
  const tell = (tries) => {
    const pid = current?.tool && childOf(current.tool.pid);
    if (pid) process.kill(pid, 'SIGINT');
    else if (current?.tool && tries > 0) setTimeout(() => tell(tries - 1), 200);
  };
  tell(25);
}
process.on('SIGINT', onStop);
process.on('SIGTERM', onStop);
process.on('SIGHUP', onStop);
process.on('exit', () => {
  for (const pid of live) signalTree(pid, 'SIGTERM');
});

function timed(cmd, args, o) {
  const proc = startTimed(cmd, args, o);
  live.add(proc.pid);
  void proc.exited.then(() => live.delete(proc.pid));
  return proc;
}

/** Starts `runner serve --workers W` and waits for its URL. */
async function startServer(dir, workers) {
  let text = '';
  let found;
  const listening = new Promise((resolve) => {
    found = resolve;
  });
  const proc = timed('node', ['bin/runner.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--workers', String(workers)], {
    log: path.join(dir, 'server.log'), timeFile: path.join(dir, 'server.time'),
    onStdout: (d) => {
      text += d;
      const m = /listening on (ws:\/\/127\.0\.0\.1:\d+\/ws)/.exec(text);
      if (m) found(m[1]);
    },
  });
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, 60_000);
  });
  const url = await Promise.race([listening, proc.exited.then(() => undefined), late]);
  clearTimeout(timer);
  return { proc, url, text: () => text };
}

/** The server's own counters, summed over its processes: the line `runner serve` prints when it stops. */
function serverStats(text) {
  const m = /server stats: (\{.*\})/.exec(text);
  return m ? JSON.parse(m[1]) : undefined;
}

async function runOne(load, tool) {
  const dir = path.join(s.out, String(load), tool);
  fs.mkdirSync(dir, { recursive: true });
  const z = sizing(load);
  const ramp = rampMs(load, s.pace);
  const holdMs = s.holdS * 1000;
  const server = await startServer(dir, z.serverWorkers);
  if (!server.url) {
    signalTree(server.proc.pid, 'SIGTERM');
    throw new Error(`the server did not start: ${server.text().slice(0, 300)}`);
  }
  sampler.watch('server', server.proc.pid);
  if (stopping) {
    signalTree(server.proc.pid, 'SIGTERM');
    await server.proc.exited;
    return undefined;
  }
  const summary = path.join(dir, 'summary.json');
  const args = tool === 'wsbench'
    ? ['bin/runner.js', 'run', 'scenarios/connect-only.ts', '--target', server.url, '--conns', String(load), '--ramp', `${ramp}ms`,
      '--duration', `${ramp + holdMs}ms`, '--ping-interval', `${s.pingS}s`, '--quiet', '--summary-export', summary, '--out-dir', path.join(dir, 'results')]
    : ['bench/peers/floor-multi.js', '--url', server.url, '--conns', String(load), '--ramp-ms', String(ramp), '--hold-ms', String(holdMs),
      '--ping-ms', String(s.pingS * 1000), '--out', summary];
  console.log(`-- ${load} connections, ${tool}: node ${args.join(' ')}`);
  const proc = timed('node', args, { log: path.join(dir, 'tool.log'), timeFile: path.join(dir, 'tool.time') });
  current = { tool: proc, server: server.proc };
  sampler.watch('tool', proc.pid);
  const code = await waitBounded(proc, ramp + holdMs + 180_000, () => console.log(`   ${tool} passed its time limit: ended`));
  const gen = sampler.result('tool');
  await sleep(1000); // the last closes reach the server's counters
  const primary = childOf(server.proc.pid);
  if (primary) process.kill(primary, 'SIGTERM'); // it prints its counters, summed over its processes, and stops
  await waitBounded(server.proc, 60_000, () => console.log('   the server did not stop in 60 s: ended'));
  const srv = sampler.result('server');
  current = undefined;
  const out = readJson(summary);
  const stats = serverStats(server.text());
  const figures = {
    load, tool, exitCode: code, rampMs: ramp, holdMs, pace: s.pace, pingS: s.pingS, workers: z.workers, serverWorkers: z.serverWorkers,
    connected: out?.connections?.succeeded ?? null, accepted: stats?.accepted ?? null, serverPings: stats?.pings ?? null,
    pongRate: out?.heartbeat?.pongRate ?? null, p50: out?.connectLatencyMs?.p50 ?? null, p99: out?.connectLatencyMs?.p99 ?? null,
    gen: { cpuSec: readTime(path.join(dir, 'tool.time'))?.cpuSec ?? null, ...gen },
    server: { cpuSec: readTime(path.join(dir, 'server.time'))?.cpuSec ?? null, ...srv },
  };
  fs.writeFileSync(path.join(dir, 'figures.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(`   exit ${code}; connected ${figures.connected} (server accepted ${figures.accepted}); CPU ${figures.gen.cpuSec} s, server ${figures.server.cpuSec} s`);
  return figures;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function main() {
  const all = [];
  try {
    for (const load of s.loads) {
      for (const tool of ['wsbench', 'floor']) {
        if (stopping) break;
        const f = await runOne(load, tool);
        if (f) all.push(f);
        if (!stopping && s.pauseS > 0) await sleep(s.pauseS * 1000);
      }
    }
  } catch (err) {
    process.stderr.write(`bench-curve: ${err.message}\n`);
    process.exitCode = 1;
  }
  sampler.close();
  const md = tables(all, s);
  fs.writeFileSync(path.join(s.out, 'table.md'), md);
  console.log(`\n${md}\nresults: ${s.out}`);
  if (stopping) process.exitCode = 130;
}

void main();
