import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readSummary, ROOT, tmpDir, waitForPoint } from './helpers';

/** `make` in the repository, never rebuilding dist/ (the test run built it; another engineer may be rebuilding). */
function make(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('make', ['--no-print-directory', '-o', 'dist/cli.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the seed workflow as make targets', () => {
  test('make bench-stop stops make bench-local gently: exit 130, summary written, PID file gone', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'results');
    const pidFile = path.join(dir, 'bench.pid');
    const points = path.join(dir, 'points.ndjson');
    const bench = spawn('make', ['--no-print-directory', '-o', 'dist/cli.js', 'bench-local', `BENCH_PID=${pidFile}`, `BENCH_OUT=${out}`,
      `ARGS=--conns 50 --duration 30s --ramp 1s --quiet --out json=${points}`], { cwd: ROOT });
    let stderr = '';
    bench.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => bench.on('close', resolve));
    // the runner's first second of points: its workers run and its SIGINT handler is in place
    await waitForPoint(points, 'ws_connections_open', () => true);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('bin/runner.js');

    const stop = make(['bench-stop', `BENCH_PID=${pidFile}`]);
    expect(stop).toMatchObject({ code: 0, stdout: `stopping the bench (pid ${pid}): VUs stop, connections close, results are written\nbench stopped\n` });
    expect(await exited).toBe(2); // make's own code for a failed recipe; the runner's is in make's message
    expect(stderr).toContain('bench-local] Error 130');
    const s = readSummary(out);
    expect(s.interrupted).toBe(true);
    expect(s.connections.attempted).toBe(s.connections.succeeded + s.connections.failed + s.connections.aborted);
    expect(fs.existsSync(pidFile)).toBe(false);
    expect(make(['bench-stop', `BENCH_PID=${pidFile}`])).toMatchObject({ code: 0, stdout: `no bench running (no ${pidFile})\n` });
  });

  test('make help lists every target of the seed workflow', () => {
    const r = make(['help']);
    expect(r.code).toBe(0);
    for (const t of ['bench-local', 'bench-ws-10k', 'bench-ws-50k', 'bench-ws-100k', 'bench-stop', 'bench-collect', 'k8s-up', 'k8s-status', 'k8s-logs', 'k8s-bench', 'image']) {
      expect(r.stdout).toMatch(new RegExp(`^  make ${t} +\\S`, 'm'));
    }
  });

  test('bench targets run the seed sizes, against the embedded server unless TARGET says otherwise', () => {
    const cmd = (target: string, extra: string[] = []): string =>
      (make(['-n', target, 'BENCH_OUT=x', ...extra]).stdout.split('\n').find((l) => l.startsWith('echo "node bin/runner.js')) ?? '').replace(/^echo "|"$/g, '');
    expect(cmd('bench-local')).toBe('node bin/runner.js run scenarios/connect-only.ts  --out-dir x ');
    expect(cmd('bench-ws-10k', ['TARGET=ws://10.0.0.5:30084/ws'])).toBe('node bin/runner.js run scenarios/10k.ts --target ws://10.0.0.5:30084/ws --out-dir x ');
    expect(cmd('bench-ws-50k')).toBe('node bin/runner.js run scenarios/50k.ts  --out-dir x ');
    expect(cmd('bench-ws-100k')).toBe('node bin/runner.js run scenarios/connect-only.ts --conns 100000 --duration 180s --ramp 120s --ping-interval 30s  --out-dir x ');
  });

  test('make k8s-logs without APP says what to give', () => {
    const r = make(['k8s-logs']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('give APP=<app label>, e.g. make k8s-logs APP=delivery-service (or wsbench-runner, wsbench-merge)');
  });
});
