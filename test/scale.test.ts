import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { runnerWarnings } from '../lib/results/diagnose';
import { classifyError, hintFor } from '../lib/core/errors';
import type { SecondRow } from '../lib/results/timeseries';
import { busyPct } from '../runner/machine';
import { connsPerProcess, workersFor } from '../runner/limits';
import { parseLocalAddresses, sourceAddresses } from '../runner/addresses';
import { FaultServer, startFaultServer } from './fault-server';
import { ROOT, runCli, tmpDir, waitForPoint } from './helpers';

const scenario = path.join(ROOT, 'scenarios', 'connect-only.ts');

/** PIDs of the runner's worker processes (children of the CLI running dist/worker.js). */
function workerPids(cliPid: number): number[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(cliPid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when the runner has no child at all
  }
  return out.split('\n').filter((l) => l.includes('dist/worker.js')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

describe('worker count and source addresses follow the machine limits', () => {
  test('workers follow RLIMIT_NOFILE with headroom', () => {
    expect(connsPerProcess(20_000)).toBe(18_525);
    expect(workersFor(10_000, 20_000)).toBe(1);
    expect(workersFor(25_000, 20_000)).toBe(2);
    expect(workersFor(100_000, 20_000)).toBe(6);
    expect(connsPerProcess(300)).toBe(256);
    expect(workersFor(400, 300)).toBe(2);
  });

  test('loopback targets rotate source addresses past 2,500 connections; lists and CIDRs parse', () => {
    expect(sourceAddresses('ws://127.0.0.1:1/ws', 2_500)).toEqual([]);
    expect(sourceAddresses('ws://127.0.0.1:1/ws', 10_000)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']);
    expect(sourceAddresses('ws://127.0.0.1:1/ws', 100_000)).toHaveLength(40);
    expect(sourceAddresses('ws://10.0.0.1:1/ws', 50_000)).toEqual([]);
    expect(parseLocalAddresses('127.0.0.0/30')).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(parseLocalAddresses('10.0.0.5, 10.0.0.6')).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(() => parseLocalAddresses('10.0.0.300')).toThrow('--local-address: "10.0.0.300" is not an IP address or CIDR');
  });

  test('failure classes carry a hint a person can act on', () => {
    expect(classifyError(Object.assign(new Error('x'), { code: 'EMFILE' }))).toBe('EMFILE');
    expect(classifyError(new Error('Unexpected server response: 503'))).toBe('HTTP 503');
    expect(classifyError(new Error('Opening handshake has timed out'))).toBe('timeout');
    expect(hintFor('EMFILE')).toMatch(/open-files limit/);
    expect(hintFor('EADDRNOTAVAIL')).toMatch(/ephemeral ports.*--local-address/);
    expect(hintFor('ETIMEDOUT')).toMatch(/SYN\/accept backlog/);
    expect(hintFor('connect timeout')).toMatch(/SYN\/accept backlog/);
    expect(hintFor('timeout')).toMatch(/did not answer the upgrade/);
    expect(hintFor('HTTP 503')).toMatch(/rejected the upgrade/);
  });
});

describe('self-diagnosis', () => {
  const row = (sec: number, over: Partial<SecondRow>): SecondRow => ({
    sec, time: '', open: 0, connects: 0, failures: 0, disconnects: 0, pings: 0, pongs: 0, connectP50: 0, connectP99: 0, rttP99: 0,
    msgsSent: 0, msgsReceived: 0, msgLatencyP50: 0, msgLatencyP99: 0, cpuPct: 20, cpuPctMax: 20, machineCpuPct: 40, loopDelayMs: 1, rssMb: 0, ...over,
  });
  const lag = { count: 1, min: 0, max: 0, avg: 0, stddev: 0, p50: 0, p90: 0, p95: 0, p99: 0 };
  const worker = { index: 0, vus: 10, cpuPctMax: 20, cpuPctAvg: 10, loopDelayP99MsMax: 1, scheduleLagMs: lag, maxRssMb: 1, rssPerConnKb: 1 };

  test('a quiet run gives no warning', () => {
    expect(runnerWarnings([worker], [row(0, {}), row(1, {}), row(2, {})], 2, 3)).toEqual([]);
  });

  test('a saturated machine during the ramp, a hot worker and a late schedule each give their warning', () => {
    const rows = [row(0, { machineCpuPct: 99, cpuPctMax: 95 }), row(1, { machineCpuPct: 97 }), row(2, { machineCpuPct: 100, loopDelayMs: 80 }), row(3, { loopDelayMs: 900 })];
    const w = runnerWarnings([{ ...worker, scheduleLagMs: { ...lag, p99: 250 } }], rows, 2, 3);
    expect(w).toEqual([
      'runner CPU at 95% during the ramp: latencies include client-side queueing (add --workers or generators, or slow the ramp)',
      'machine CPU at 99% of all cores in 2 s of the ramp: the load generator and the target (if on this machine) compete for CPU, so latencies then include CPU queueing on this machine, not only the server\'s own time',
      'runner event loop delayed up to 80 ms (p99 of second 2): latencies measured then may be inflated by that much',
      'connection attempts started up to 250 ms late against the plan (p99): the runner could not keep the ramp\'s pace',
    ]);
  });

  test('machine CPU share between two /proc/stat readings', () => {
    expect(busyPct({ busy: 100, total: 1000 }, { busy: 250, total: 1200 })).toBe(75);
    expect(busyPct(undefined, { busy: 1, total: 2 })).toBe(0);
  });
});

describe('forced limits, end to end', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer({});
  });
  afterAll(() => server.close());

  test('one worker given too few file descriptors, run with --force: failures are EMFILE with the hint', async () => {
    const r = await runCli('runner', ['run', scenario, '--conns', '400', '--duration', '3s', '--ramp', '1s', '--workers', '1', '--target', server.url, '--force'], { openFiles: 300 });
    expect(r.stderr).toContain('preflight: 400 connections per worker exceed the open-files limit of 300 (room for ~256): use --workers 2 or more, or raise ulimit -n (--force: running anyway)');
    const s = r.summary!;
    expect(s.connections.attempted).toBe(400);
    expect(s.connections.succeeded + s.connections.failed).toBe(400);
    expect(s.connections.errors.EMFILE).toBe(s.connections.failed);
    expect(s.connections.failed).toBeGreaterThan(100);
    expect(r.stdout).toMatch(/EMFILE {2}→ open-files limit reached/);
    expect(r.code).toBe(99);
  });

  test('the same limit without --workers: the runner spreads over 2 workers and every connection is made', async () => {
    const r = await runCli('runner', ['run', scenario, '--conns', '400', '--duration', '3s', '--ramp', '1s', '--target', server.url, '--threshold', 'connections.successRate >= 0.99'], { openFiles: 300 });
    expect(r.stderr).not.toContain('preflight');
    const s = r.summary!;
    expect(s.runner.workers).toHaveLength(2);
    expect(s.connections).toMatchObject({ attempted: 400, succeeded: 400, failed: 0, peak: 400, final: 400 });
    expect(r.code).toBe(0);
  });

  test('a source address that is not local: every attempt fails as EADDRNOTAVAIL with the hint', async () => {
    const r = await runCli('runner', ['run', scenario, '--conns', '20', '--duration', '1s', '--ramp', '500ms', '--local-address', '10.255.255.1', '--target', server.url]);
    const s = r.summary!;
    expect(s.connections).toMatchObject({ attempted: 20, succeeded: 0, failed: 20, errors: { EADDRNOTAVAIL: 20 } });
    expect(r.stdout).toMatch(/EADDRNOTAVAIL {2}→ ephemeral ports exhausted/);
  });

  test('one worker runs as a thread of the runner (no worker process); WSBENCH_WORKER_NODE_OPTIONS makes it a process', async () => {
    for (const [env, processes] of [[{}, 0], [{ WSBENCH_WORKER_NODE_OPTIONS: '--max-old-space-size=512' }, 1]] as const) {
      const points = path.join(tmpDir(), 'points.ndjson');
      let cliPid = 0;
      const running = runCli('runner', ['run', scenario, '--conns', '100', '--duration', '4s', '--ramp', '1s', '--target', server.url, '--out', `json=${points}`], {
        onSpawn: (pid) => (cliPid = pid),
        env,
      });
      await waitForPoint(points, 'ws_connections_open', (open) => open === 100);
      expect(workerPids(cliPid)).toHaveLength(processes);
      const s = (await running).summary!;
      expect(s.runner.workers).toHaveLength(1);
      expect(s.connections).toMatchObject({ attempted: 100, succeeded: 100, failed: 0, peak: 100, final: 100 });
    }
  });

  test('a worker killed mid-run: the summary still accounts for its VUs', async () => {
    const points = path.join(tmpDir(), 'points.ndjson');
    let cliPid = 0;
    const running = runCli('runner', ['run', scenario, '--conns', '400', '--duration', '6s', '--ramp', '2s', '--ping-interval', '1s', '--workers', '2', '--target', server.url, '--out', `json=${points}`], {
      onSpawn: (pid) => (cliPid = pid),
    });
    // the kill comes once the runner has merged a second with all 400 open (each worker holding its 200)
    await waitForPoint(points, 'ws_connections_open', (open) => open === 400);
    const killed = workerPids(cliPid).slice(0, 1);
    for (const p of killed) process.kill(p, 'SIGKILL');
    const r = await running;
    expect(killed).toHaveLength(1);
    const s = r.summary!;
    const dead = s.runner.workers.filter((w) => w.died);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.died).toBe('killed by SIGKILL');
    // all 400 were open before the kill (ramp ended at 2 s): the dead worker's 200 count as disconnects
    expect(s.connections).toMatchObject({ attempted: 400, succeeded: 400, failed: 0, disconnected: 200, final: 200, peak: 400 });
    expect(s.connections.disconnectReasons).toEqual({ 'worker died (killed by SIGKILL)': 200 });
    expect(s.runner.warnings.join('\n')).toContain('died (killed by SIGKILL)');
  });
});

describe('past one process', () => {
  test('25,000 connections against the embedded server: every connection made, more than one worker', async () => {
    const r = await runCli('runner', ['run', scenario, '--conns', '25000', '--duration', '40s', '--ramp', '30s', '--ping-interval', '15s']);
    const s = r.summary!;
    expect(s.runner.workers.length).toBeGreaterThan(1);
    expect(s.connections).toMatchObject({ attempted: 25_000, succeeded: 25_000, failed: 0, disconnected: 0, peak: 25_000, final: 25_000 });
    expect(s.heartbeat.pongRate).toBe(1);
    expect(s.heartbeat.pongsReceived).toBe(s.heartbeat.pingsSent);
    // print what a person would read off the run
    console.log(`25K: p50 ${s.connectLatencyMs.p50} ms, p99 ${s.connectLatencyMs.p99} ms; workers ${s.runner.workers.map((w) => `${w.vus} VUs ${w.rssPerConnKb} KB/conn`).join(', ')}`);
  }, 180_000);
});
