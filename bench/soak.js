#!/usr/bin/env node
// Soak (make bench-soak): CONNS reconnecting connections for DURATION, pings every PING, against the
// embedded server (`runner serve`, its own process) restarted by its chaos switch every EVERY (close
// 1001, refusing new connections for DOWN). One line per recovery: the worker RSS once the wave's
// VUs were all back (its settled level until the next wave, the workers collecting their garbage
// every 5 s), the event-loop delay P99 during the recovery, and the counts against the server's own
// (exact). The leak check reads the trend of those levels, not one against another: the least-squares
// slope of settled RSS over the reconnections so far, in KiB per reconnection, must stay under
// LEAK_KIB (a closed `ws` client kept alive costs ~9 KiB, bench/README.md "Soak under server
// restarts"; one sample's noise is a few MB, spread over a wave's thousands of reconnections).
// Exit 0 when every check held, 1 otherwise.
// Override: CONNS=10000 DURATION=30m RAMP=60s PING=10s EVERY=5m DOWN=2s RESTARTS=(no limit) OUT=bench/results/<stamp>_soak node bench/soak.js
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const env = (k, d) => process.env[k] || d;
const C = { conns: Number(env('CONNS', '10000')), duration: env('DURATION', '30m'), ramp: env('RAMP', '60s'), ping: env('PING', '10s'), every: env('EVERY', '5m'), down: env('DOWN', '2s'), restarts: env('RESTARTS', '') };
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
const OUT = env('OUT', path.join(ROOT, 'bench', 'results', `${stamp}_soak`));
const LEAK_KIB = 2;
const lines = [];
const say = (line) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

function serve() {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'runner.js'), 'serve', '--port', '0', '--restart-every', C.every, '--restart-down', C.down, ...(C.restarts ? ['--restart-count', C.restarts] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const restarts = [];
  let url;
  let buf = '';
  const listening = new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the server exited (code ${code})`)));
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const l = /listening on (\S+)/.exec(line);
        if (l) resolve((url = l[1]));
        const r = /^restart (\d+): closed (\d+) connections/.exec(line);
        if (r) restarts.push({ n: Number(r[1]), dropped: Number(r[2]), at: Date.now() });
      }
    });
  });
  return { child, restarts, listening, url: () => url };
}

const getJson = (url) => new Promise((resolve, reject) => http.get(url, (res) => {
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => resolve(JSON.parse(body)));
}).on('error', reject));

function runner(target) {
  const args = ['run', path.join(ROOT, 'scenarios', 'connect-only.ts'), '--target', target, '--conns', String(C.conns), '--ramp', C.ramp, '--duration', C.duration,
    '--ping-interval', C.ping, '--reconnect', '--reconnect-initial', '1s', '--reconnect-max', '10s', '--out-dir', OUT, '--threshold', 'connections.successRate >= 0'];
  // a full GC every 5 s in the workers before RSS is sampled (runner/worker.ts): RSS then shows what is kept
  const workerEnv = { WSBENCH_WORKER_NODE_OPTIONS: `${process.env.WSBENCH_WORKER_NODE_OPTIONS || ''} --expose-gc`.trim(), WSBENCH_SOAK_GC_EVERY_SEC: '5' };
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'runner.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...workerEnv } });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** The least-squares slope of `mb` over `x` (MB per reconnection). */
function slope(points) {
  const mean = (f) => points.reduce((n, p) => n + f(p), 0) / points.length;
  const mx = mean((p) => p.x);
  const my = mean((p) => p.mb);
  const sxx = points.reduce((n, p) => n + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((n, p) => n + (p.x - mx) * (p.mb - my), 0) / sxx;
}

/** The second at which every VU of the wave was back (cumulated `recovered` of the time series reaches the dropped count). */
function recoveredAt(rows, wave) {
  let n = 0;
  for (const r of rows) {
    if (r.sec < wave.atSec) continue;
    n += r.recovered || 0;
    if (n >= wave.dropped) return r;
  }
  return undefined;
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  say(`soak: ${C.conns} connections for ${C.duration} (ramp ${C.ramp}), pings every ${C.ping}, a server restart every ${C.every} (down ${C.down}), reconnect on; results in ${OUT}`);
  const server = serve();
  const url = await server.listening;
  const code = await runner(url);
  const stats = await getJson(url.replace(/^ws/, 'http').replace(/\/ws$/, '/stats'));
  server.child.kill('SIGTERM');
  if (code !== 0) throw new Error(`the runner exited with code ${code}`);
  const summary = JSON.parse(fs.readFileSync(path.join(OUT, 'summary.json'), 'utf8'));
  const rows = fs.readFileSync(path.join(OUT, 'timeseries.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const waves = summary.disconnectWaves;
  const closedByRestarts = server.restarts.filter((r) => r.dropped > 0);
  const failures = [];
  const check = (ok, what) => {
    if (!ok) failures.push(what);
    return ok ? 'ok' : 'FAILED';
  };
  const levels = [];
  let reconnected = 0;
  waves.forEach((w, i) => {
    const done = recoveredAt(rows, w);
    const serverDropped = closedByRestarts[i] ? closedByRestarts[i].dropped : undefined;
    const counts = `dropped ${w.dropped}, server closed ${serverDropped} (${check(w.dropped === serverDropped, `wave ${i + 1}: dropped ${w.dropped} != server ${serverDropped}`)})`;
    if (!done) {
      say(`recovery ${i + 1}: wave at ${w.atSec} s, ${counts}; back ${w.recovered}/${w.dropped}: the run ended before all were back`);
      return;
    }
    const loop = Math.max(...rows.filter((r) => r.sec >= w.atSec && r.sec <= done.sec).map((r) => r.loopDelayMs));
    // the level RSS settles at once the wave is over: its lowest until the next wave (the garbage of
    // the storm's sockets is collected lazily, so the second all are back is a peak, not a level)
    const next = waves[i + 1] ? waves[i + 1].atSec : Infinity;
    const settled = Math.min(...rows.filter((r) => r.sec >= done.sec && r.sec < next && r.open > 0).map((r) => r.rssMb));
    reconnected += w.recovered;
    levels.push({ x: reconnected, mb: settled });
    const rss = `worker RSS ${settled} MB after ${reconnected} reconnections`;
    say(`recovery ${i + 1}: wave at ${w.atSec} s, ${counts}; all back at ${done.sec} s (P50/P99 ${w.recoverySec.p50} / ${w.recoverySec.p99} s, ${w.attempts} attempts, ${w.failures} refused); ${rss}; event-loop delay P99 ${loop} ms`);
  });
  const leak = slope(levels) * 1024;
  say(levels.length < 2 ? 'leak: n/a (fewer than 2 recoveries)' : `leak: RSS trend ${leak >= 0 ? '+' : ''}${leak.toFixed(2)} KiB per reconnection over ${levels.length} recoveries (< ${LEAK_KIB}: ${check(leak < LEAK_KIB, `RSS grew ${leak.toFixed(2)} KiB per reconnection`)})`);
  check(levels.length >= 2, 'fewer than 2 recoveries: no RSS trend');
  check(waves.length === closedByRestarts.length, `${waves.length} waves for ${closedByRestarts.length} restarts that closed connections`);
  check(waves.length > 0, 'no wave: no restart happened during the run');
  const c = summary.connections;
  const refused = c.errors['HTTP 503'] || 0;
  say(`counts: connects ${c.succeeded} = server accepted ${stats.accepted} (${check(c.succeeded === stats.accepted, 'connects != accepted')}); ` +
    `refused ${refused} = server refused ${stats.refused} (${check(refused === stats.refused, 'refused != server refused')}); ` +
    `dropped ${c.disconnected} = server closed by restarts ${stats.restartDropped} (${check(c.disconnected === stats.restartDropped, 'disconnects != restart drops')}); ` +
    `${waves.length} waves for ${stats.restarts} restarts`);
  say(failures.length === 0 ? 'soak: PASSED' : `soak: FAILED: ${failures.join('; ')}`);
  fs.writeFileSync(path.join(OUT, 'soak.txt'), `${lines.join('\n')}\n`);
  return failures.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`soak: ${err.message}\n`);
  process.exit(1);
});
