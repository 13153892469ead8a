import { impossiblePlan, Machine, memoryNeeded, MEMORY_MODEL, preflight } from '../runner/preflight';
import { badInputLine, CONNECT_ONLY, runCli } from './helpers';

/** Plans this machine cannot hold are refused before anything starts, with one line naming the limit. */
const GB = 1024 ** 3;
const machine: Machine = { openFiles: 20_000, ephemeralPorts: 28_232, memAvailableBytes: 20 * GB };
const plan = { conns: 1000, workers: 1, sourceAddresses: 0, loopbackTarget: true, embedded: true, rampPerSec: 0 };

describe('impossible plans', () => {
  test('memory: connections x memory per connection, plus the worker processes, against what is available', () => {
    const big = { ...plan, conns: 10_000_000, workers: 540, sourceAddresses: 4000 };
    // 10M x (10 KB + 30 KB) + 540 x 60 MB = 413 GB
    expect(memoryNeeded(big)).toBe(10_000_000 * 40 * 1024 + 540 * 60 * 1024 ** 2);
    expect(MEMORY_MODEL.runnerPerConn + MEMORY_MODEL.serverPerConn).toBe(40 * 1024);
    expect(impossiblePlan(big, machine)).toBe(
      '10000000 connections need about 413 GB of memory (540 worker processes and the embedded server), and 20 GB are available: lower --conns, or split the test over several machines (--segment i/n)',
    );
    expect(impossiblePlan({ ...plan, conns: 100_000, workers: 6, sourceAddresses: 40 }, machine)).toBeUndefined();
  });

  test('open files per worker, and source ports over addresses x the ephemeral range', () => {
    expect(impossiblePlan({ ...plan, conns: 40_000, workers: 1 }, machine)).toBe('40000 connections per worker exceed the open-files limit of 20000 (room for ~18525): use --workers 3 or more, or raise ulimit -n');
    expect(impossiblePlan({ ...plan, conns: 60_000, workers: 4, sourceAddresses: 2 }, machine)).toBe(
      '60000 connections need more than the 28232 ephemeral ports of 2 source address(es): add --local-address (a list or CIDR) or widen net.ipv4.ip_local_port_range',
    );
    expect(impossiblePlan({ ...plan, conns: 50_000, workers: 4, sourceAddresses: 2 }, machine)).toBeUndefined();
  });

  test('a plan close to the memory available is only a warning', () => {
    // 450,000 x 10 KB + 25 x 60 MB = 5.8 GB of 6 GB
    const near = { ...plan, conns: 450_000, workers: 25, embedded: false, sourceAddresses: 20 };
    expect(impossiblePlan(near, { ...machine, memAvailableBytes: 6 * GB })).toBeUndefined();
    expect(preflight(near, { ...machine, memAvailableBytes: 6 * GB })).toContain('450000 connections need about 5.8 GB of memory, close to the 6.0 GB available');
    expect(impossiblePlan(near, { ...machine, memAvailableBytes: 5 * GB })).toMatch(/^450000 connections need about 5.8 GB of memory/);
  });
});

describe('the CLI refuses before anything starts', () => {
  test('--conns 10000000 on this machine: one line naming the limit and the figure, exit 1', async () => {
    const line = await badInputLine('runner', ['run', CONNECT_ONLY, '--conns', '10000000']);
    expect(line).toMatch(/^preflight: 10000000 connections need about \d+ GB of memory \(\d+ worker processes and the embedded server\), and [\d.]+ GB are available: lower --conns, or split the test over several machines \(--segment i\/n\) \(--force runs it anyway\)$/);
  });

  test('too few open files for the workers asked for: refused, and no result written', async () => {
    const r = await runCli('runner', ['run', CONNECT_ONLY, '--conns', '400', '--workers', '1', '--ramp', '1s', '--duration', '2s'], { openFiles: 300 });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('preflight: 400 connections per worker exceed the open-files limit of 300 (room for ~256): use --workers 2 or more, or raise ulimit -n (--force runs it anyway)');
    expect(r.summary).toBeUndefined();
  });
});
