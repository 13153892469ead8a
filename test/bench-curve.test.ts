import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tmpDir } from './helpers';

/**
 * bench/curve.js (make bench-curve) at a tiny scale: under `ulimit -n 300` the runner's sizing
 * (runner/limits.ts) puts 150 connections in one process and 300 in two, so both paths run — the
 * runner's worker thread and its worker processes, floor-multi.js with one and two floor.js
 * children, a one-process server and a cluster. Then the table's arithmetic on known figures, and
 * the bad input and impossible plans it refuses.
 */
type Figures = {
  load: number; tool: string; connected: number; accepted: number; exitCode: number;
  gen: { kinds: Record<string, { processes: number }> }; server: { kinds: Record<string, { processes: number }> };
};

const CURVE = path.join(ROOT, 'bench/curve.js');
const cells = (line: string): string[] => line.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, ''));

test('a small curve: both tools connect every connection the server accepts, every figure a number', () => {
  const out = tmpDir('wsbench-curve-');
  const r = spawnSync('bash', ['-c', `ulimit -n 300 && exec node ${CURVE}`], {
    env: { ...process.env, LOADS: '150,300', HOLD_S: '2', PAUSE_S: '0', OUT_DIR: out }, encoding: 'utf8', timeout: 150_000, killSignal: 'SIGINT',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const fig = (load: number, tool: string): Figures => JSON.parse(fs.readFileSync(path.join(out, String(load), tool, 'figures.json'), 'utf8'));
  for (const load of [150, 300]) {
    for (const tool of ['wsbench', 'floor']) {
      const f = fig(load, tool);
      expect([f.connected, f.accepted]).toEqual([load, load]); // the tool's count and the server's own
    }
  }
  expect(fig(150, 'wsbench').gen.kinds.workers).toBeUndefined(); // one worker: a thread of the coordinator
  expect(fig(150, 'floor').gen.kinds.workers?.processes).toBe(1);
  for (const tool of ['wsbench', 'floor']) {
    expect(fig(300, tool).gen.kinds.workers?.processes).toBe(2);
    expect(fig(300, tool).server.kinds.workers?.processes).toBe(2);
  }
  const merged = JSON.parse(fs.readFileSync(path.join(out, '300/floor/summary.json'), 'utf8'));
  expect(merged.connectLatencyMs.count).toBe(300); // percentiles over both children's samples
  expect(merged.children.map((c: { conns: number }) => c.conns)).toEqual([150, 150]);

  const md = fs.readFileSync(path.join(out, 'table.md'), 'utf8');
  const rows = md.split('\n').filter((l) => /^\| (150|300) \|/.test(l)).map(cells);
  expect(rows.map((c) => `${c[0]} ${c[1]} ${c[2]}`)).toEqual([
    '150 wsbench 150 / 150', '150 floor (bare ws) 150 / 150', '300 wsbench 300 / 300', '300 floor (bare ws) 300 / 300',
  ]);
  const n = '\\d+(\\.\\d+)?';
  for (const c of rows) {
    const x = c[1] === 'wsbench' ? ` \\(${n}×\\)` : '';
    for (const cell of c.slice(3, 7)) expect(cell).toMatch(new RegExp(`^${n}${x}$`));
    expect(c[7]).toMatch(new RegExp(`^${n} / ${n}${c[1] === 'wsbench' ? ` \\(${n}× / ${n}×\\)` : ''}$`));
    expect(c[8]).toMatch(/^\d+%.* \/ .* \/ \d+%/);
  }
  const ratios = md.split('\n').filter((l) => /^\| (load generator|server) /.test(l)).map(cells);
  expect(ratios).toHaveLength(4);
  for (const c of ratios) expect([c[1], c[2]]).toEqual([expect.stringMatching(/^\d+\.\d\d$/), expect.stringMatching(/^\d+\.\d\d$/)]);
  expect(md).toContain('| per connection, 300 ÷ 150 connections |');
});

const figures = (load: number, tool: string, o: { cpu: number | null; rssKib: number; accepted: number | null; serverCpu: number }) => ({
  load, tool, exitCode: 0, rampMs: 1000, holdMs: 60000, pace: 833, pingS: 30, connected: o.accepted, accepted: o.accepted,
  serverPings: 2 * load, pongRate: 1, p50: 2, p99: tool === 'floor' ? 8 : 10,
  gen: { cpuSec: o.cpu, peakRssBytes: o.rssKib * 1024 * load, kinds: { main: { processes: 1, cpuSec: 1 }, workers: { processes: 2, cpuSec: 3 } } },
  server: { cpuSec: o.serverCpu, peakRssBytes: 10 * 1024 * load, kinds: { main: { processes: 1, cpuSec: 4 } } },
});

test('curve-table.js: per-connection figures, ratios to the floor and the flatness target, on known figures', () => {
  const dir = tmpDir('wsbench-curve-table-');
  const put = (f: ReturnType<typeof figures>): void => {
    fs.mkdirSync(path.join(dir, String(f.load), f.tool), { recursive: true });
    fs.writeFileSync(path.join(dir, String(f.load), f.tool, 'figures.json'), JSON.stringify(f));
  };
  put(figures(10000, 'floor', { cpu: 5, rssKib: 8, accepted: 10000, serverCpu: 4 }));
  put(figures(10000, 'wsbench', { cpu: 6, rssKib: 12, accepted: 10000, serverCpu: 5 }));
  put(figures(200000, 'floor', { cpu: 100, rssKib: 8, accepted: 200000, serverCpu: 80 }));
  put(figures(200000, 'wsbench', { cpu: 156, rssKib: 12, accepted: 200000, serverCpu: 110 }));
  const md = execFileSync('node', [path.join(ROOT, 'bench/curve-table.js'), dir], { encoding: 'utf8' });
  const row = (start: string): string[] => cells(md.split('\n').find((l) => l.startsWith(start)) ?? '');
  expect(row('| 10000 | wsbench').slice(2, 8)).toEqual(['10000 / 10000', '0.600 (1.20×)', '12.0 (1.50×)', '0.500 (1.25×)', '10.0 (1.00×)', '2.00 / 10.0 (1.00× / 1.25×)']);
  expect(row('| 10000 | wsbench')[8]).toBe('13% / 38% / 50%'); // of 1 + 3 + 4 CPU s sampled
  expect(row('| 200000 | floor').slice(3, 6)).toEqual(['0.500', '8.0', '0.400']);
  expect(row('| load generator CPU')).toEqual(['load generator CPU', '1.30', '1.00', 'NOT met, by 0.10']);
  expect(row('| server CPU')).toEqual(['server CPU', '1.10', '1.00', 'met']);
});

test('curve-table.js: no connection the server accepted, no per-connection figure: n/a, never 0', () => {
  const dir = tmpDir('wsbench-curve-table-');
  const f = figures(1000, 'floor', { cpu: null, rssKib: 8, accepted: null, serverCpu: 1 });
  fs.mkdirSync(path.join(dir, '1000', 'floor'), { recursive: true });
  fs.writeFileSync(path.join(dir, '1000', 'floor', 'figures.json'), JSON.stringify(f));
  const md = execFileSync('node', [path.join(ROOT, 'bench/curve-table.js'), dir], { encoding: 'utf8' });
  const c = cells(md.split('\n').find((l) => l.startsWith('| 1000 |')) ?? '');
  expect(c.slice(2, 7)).toEqual(['n/a / n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
  expect(md).toContain('One load only: no ratio of the largest load to the smallest.');
});

test.each([
  [{ LOADS: '10000,lots' }, "bench-curve: LOADS must be whole numbers >= 1, comma-separated, like 10000,50000 (got '10000,lots')"],
  [{ HOLD_S: '0' }, "bench-curve: HOLD_S must be a whole number >= 1 (got '0')"],
  [{ PACE: '1.5' }, "bench-curve: PACE must be a whole number >= 1 (got '1.5')"],
  [{ PING_S: '' }, "bench-curve: PING_S must be a whole number >= 1 (got '')"],
  [{ PLAN_ONLY: 'yes' }, "bench-curve: PLAN_ONLY must be 0 or 1 (got 'yes')"],
])('bench/curve.js refuses %j in one line, exit 1', (env, line) => {
  const r = spawnSync('node', [CURVE], { env: { ...process.env, OUT_DIR: tmpDir('wsbench-curve-'), ...env }, encoding: 'utf8' });
  expect(r.stderr.trim()).toBe(line);
  expect(r.status).toBe(1);
});

test('bench/curve.js refuses a plan this machine cannot hold before starting anything, and says why', () => {
  const r = spawnSync('node', [CURVE], { env: { ...process.env, LOADS: '1000,900000000', OUT_DIR: tmpDir('wsbench-curve-') }, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('bench-curve: this machine cannot hold 900000000 connections:');
  expect(r.stderr).toMatch(/ {2}- memory available \d+ MiB < plan \d+ MiB/);
  expect(r.stdout).not.toContain('-- 1000 connections');
});
