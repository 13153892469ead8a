import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, tmpDir } from './helpers';

/**
 * The soak's 2-minute version through `make bench-soak`: 2,000 reconnecting connections for 120 s,
 * the embedded server restarted every 22 s (4 restarts, the last with 30 s left to settle). The soak
 * checks the figures itself (waves against the server's closes, connects against its accepts,
 * refusals, the trend of the worker RSS over the recoveries under 2 KiB per reconnection) and exits 0
 * only when all held; here its printed lines are read back against its results folder.
 */
test('make bench-soak, 2 minutes: 4 recoveries, every count exact, RSS steady', async () => {
  const out = process.env.WSBENCH_SOAK_OUT ?? path.join(tmpDir('wsbench-soak-'), 'results');
  const child = spawn('make', ['--no-print-directory', '-o', 'dist/cli.js', 'bench-soak'], {
    cwd: ROOT, env: { ...process.env, CONNS: '2000', DURATION: '120s', RAMP: '10s', PING: '10s', EVERY: '22s', RESTARTS: '4', DOWN: '2s', OUT: out },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const said = `${stdout}${stderr}`.split('\n').filter((l) => /soak|leak|error|FAILED|at /.test(l));
  expect({ code, said }).toMatchObject({ code: 0 });
  expect(stdout).toContain('soak: PASSED');
  const recoveries = stdout.split('\n').filter((l) => l.startsWith('recovery '));
  expect(recoveries).toHaveLength(4);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  expect(summary.disconnectWaves).toHaveLength(4);
  summary.disconnectWaves.forEach((w: { atSec: number; dropped: number; recovered: number }, i: number) => {
    expect(w.dropped).toBe(2000);
    expect(w.recovered).toBe(2000);
    expect(recoveries[i]).toMatch(new RegExp(`^recovery ${i + 1}: wave at ${w.atSec} s, dropped 2000, server closed 2000 \\(ok\\); all back at \\d+ s .*; worker RSS \\d+ MB .*; event-loop delay P99 [\\d.]+ ms$`));
  });
  expect(stdout).toMatch(/^leak: RSS trend [+-][\d.]+ KiB per reconnection over 4 recoveries \(< 2: ok\)$/m);
  expect(stdout).toMatch(new RegExp(`counts: connects ${summary.connections.succeeded} = server accepted ${summary.connections.succeeded} \\(ok\\)`));
  expect(summary.connections.succeeded).toBe(2000 * 5);
  expect(fs.readFileSync(path.join(out, 'soak.txt'), 'utf8')).toBe(stdout.slice(stdout.indexOf('soak: 2000')));
}, 400_000);
