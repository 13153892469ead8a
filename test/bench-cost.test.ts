import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tmpDir } from './helpers';

/**
 * The cost benchmarks' arithmetic and their bad input (the benchmarks themselves assert nothing):
 * compare.js's ratios to the floor and per-connection / per-message figures on a results folder
 * of known numbers, and bench/ws-200k.sh's refusal of settings it cannot run.
 */
function tool(dir: string, name: string, o: { cpu: number; rssMb: number; serverTicks: number; summary: object; accepted: number; delivered?: number }): void {
  const d = path.join(dir, name);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'summary.json'), JSON.stringify(o.summary));
  fs.writeFileSync(path.join(d, 'proctree.json'), JSON.stringify({ cpuSec: o.cpu, userSec: o.cpu, sysSec: 0, peakRssBytes: o.rssMb * 1048576, wallSec: 10, processes: [{}] }));
  fs.writeFileSync(path.join(d, 'server.json'), JSON.stringify({ peakOpen: o.accepted, openSeconds: 100, last: { accepted: o.accepted, pings: 0, framesIn: 0, acked: 0, delivered: o.delivered ?? 0 } }));
  fs.writeFileSync(path.join(d, 'server-cpu-before'), '100 100');
  fs.writeFileSync(path.join(d, 'server-cpu-after'), `${100 + o.serverTicks} 100`);
  fs.writeFileSync(path.join(d, 'exit-code'), '0');
}

const floorSummary = (n: number) => ({
  tool: 'floor', settings: { mode: 'connect' }, connections: { attempted: n, succeeded: n, errors: {} },
  connectLatencyMs: { p50: 1, p99: 4 }, heartbeat: { pingsSent: 0 }, messages: {},
});
const wsbenchSummary = (n: number) => ({
  connections: { attempted: n, succeeded: n, errors: {} }, connectLatencyMs: { p50: 1, p99: 5 },
  heartbeat: { pingsSent: 0, rttMs: {} }, messages: { sent: 0 },
});

test('compare.js: every cost figure with its ratio to the floor of the same run, and the targets checked', () => {
  const dir = tmpDir('wsbench-cost-');
  fs.writeFileSync(path.join(dir, 'meta.txt'), 'settings: LOAD=connect CONNS=10000 RAMP_S=30 HOLD_S=30 PING_S=5 RATE=10 SIZE=256 SEND_S=30\n');
  tool(dir, 'floor', { cpu: 5, rssMb: 100, serverTicks: 300, summary: floorSummary(10000), accepted: 10000 });
  tool(dir, 'wsbench', { cpu: 6, rssMb: 150, serverTicks: 330, summary: wsbenchSummary(10000), accepted: 10000 });
  const out = execFileSync('node', [path.join(ROOT, 'bench/peers/compare.js'), dir], { encoding: 'utf8' });
  const row = (label: string): string[] => (out.split('\n').find((l) => l.startsWith(`| ${label}`)) ?? '').split(' | ').slice(1);
  expect(row('Load generator CPU')).toEqual(['5.0', '6.0 (1.20×) |']);
  expect(row('… per 1,000 connections (CPU s)')).toEqual(['0.50', '0.60 (1.20×) |']);
  expect(row('Load generator peak RSS')).toEqual(['100.0', '150.0 (1.50×) |']);
  expect(row('… per connection (KiB)')).toEqual(['10.2', '15.4 (1.50×) |']);
  expect(row('Server CPU during the run')).toEqual(['3.0', '3.3 (1.10×) |']);
  expect(row('TCP + upgrade P50 / P99')).toEqual(['1.00 / 4.00', '1.00 / 5.00 (1.25×) |']);
  expect(out).toContain('- wsbench CPU, × floor: 1.20 (target ≤ 1.2) met');
  expect(out).toContain('- wsbench tree RSS, × floor: 1.50 (target ≤ 1.3) NOT met, by 0.20');
});

test('compare.js: the messaging load adds CPU per delivered message', () => {
  const dir = tmpDir('wsbench-cost-');
  fs.writeFileSync(path.join(dir, 'meta.txt'), 'settings: LOAD=messaging CONNS=1000 RAMP_S=10 HOLD_S=33 PING_S=5 RATE=10 SIZE=256 SEND_S=30\n');
  tool(dir, 'floor', { cpu: 10, rssMb: 80, serverTicks: 1000, summary: { ...floorSummary(1000), settings: { mode: 'messaging' }, messages: { sent: 300000, acked: 300000, delivered: 300000 } }, accepted: 1000, delivered: 300000 });
  tool(dir, 'wsbench', { cpu: 12, rssMb: 120, serverTicks: 1000, summary: { ...wsbenchSummary(1000), messages: { sent: 300000, acked: 300000, delivered: 250000, latencyMs: { p50: 1, p99: 2 } } }, accepted: 1000, delivered: 250000 });
  const out = execFileSync('node', [path.join(ROOT, 'bench/peers/compare.js'), dir], { encoding: 'utf8' });
  expect(out).toContain('| … per 1,000 delivered messages (CPU s) | 0.033 | 0.048 (1.44×) |');
  expect(out).toContain('- wsbench CPU per delivered message, × floor: 1.44 (target ≤ 1.1) NOT met, by 0.34');
});

test.each([
  [{ CONNS: 'lots' }, 'bench-ws-200k: CONNS must be a whole number >= 1 (got \'lots\')'],
  [{ RAMP_S: '60', DURATION_S: '60' }, 'bench-ws-200k: DURATION_S must be longer than RAMP_S'],
])('bench/ws-200k.sh refuses %j in one line, exit 1', (env, line) => {
  const r = spawnSync('bash', [path.join(ROOT, 'bench/ws-200k.sh')], { env: { ...process.env, ...env, OUT_DIR: tmpDir('wsbench-200k-') }, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe(line);
});

test('bench/ws-200k.sh refuses a plan this machine cannot carry, and says why', () => {
  const r = spawnSync('bash', ['-c', `ulimit -n 1000 && bash ${path.join(ROOT, 'bench/ws-200k.sh')}`], { env: { ...process.env, WORKERS: '2', OUT_DIR: tmpDir('wsbench-200k-') }, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('bench-ws-200k: cannot carry 200000 connections here:');
  expect(r.stderr).toContain('2 workers × 855 connections < 200000: give WORKERS=234 or more');
});
