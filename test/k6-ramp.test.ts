import path from 'node:path';
import { startFaultServer } from './fault-server';
import { ROOT, runCli, tmpDir } from './helpers';
import { destroyRun, K6RunResult, runK6 } from './k6-double/executor';
import { rawSteps } from './k6-double/steps';

/**
 * A whole `k6 run` of a bundle under the k6 double: ramping-vus schedule, one realm per VU, the
 * iteration loop, virtual time, real sockets. 50 VUs over a 10 s ramp and a 10 s hold against a
 * server that closes every 10th connection (code 4001) right after it opens.
 */

const OUT = tmpDir('wsbench-k6-ramp-');

beforeAll(async () => {
  const r = await runCli('runner', ['build', 'test/fixtures/k6/ramp50.ts', 'test/fixtures/k6/ramp50-reconnect.ts', '--out-dir', OUT], { noExport: true, cwd: ROOT });
  expect(r.code).toBe(0);
});

test("k6's ramping-vus steps: 0 -> 50 over 10 s starts VU i at i x 200 ms; the end of the stages drops to 0", () => {
  const steps = rawSteps(0, [{ ms: 10_000, target: 50 }, { ms: 10_000, target: 50 }], true);
  expect(steps.slice(0, 3)).toEqual([{ t: 0, vus: 0 }, { t: 200, vus: 1 }, { t: 400, vus: 2 }]);
  expect(steps.slice(-2)).toEqual([{ t: 10_000, vus: 50 }, { t: 20_000, vus: 0 }]);
  // a ramp down stops one VU per step, the first one step after the stage starts
  expect(rawSteps(4, [{ ms: 4000, target: 0 }], false)).toEqual([{ t: 0, vus: 4 }, { t: 1000, vus: 3 }, { t: 2000, vus: 2 }, { t: 3000, vus: 1 }, { t: 4000, vus: 0 }]);
});

async function run(file: string): Promise<{ r: K6RunResult; accepted: number; closedByServer: number }> {
  const server = await startFaultServer({ closeEvery: { k: 10, afterMs: 0, code: 4001 } });
  let r: K6RunResult | undefined;
  try {
    const seenDrops = (): number => (r?.sockets ?? []).filter((s) => (s.closeEvent as { code?: number } | undefined)?.code === 4001).length;
    r = await runK6(path.join(OUT, file), {
      env: { TARGET: server.url },
      // virtual time moves on only once every drop the server made has reached its socket
      idle: () => seenDrops() === Math.floor(server.counts.accepted / 10) || r === undefined,
    });
    return { r, accepted: server.counts.accepted, closedByServer: server.counts.closedByServer };
  } finally {
    if (r) destroyRun(r);
    await server.close();
  }
}

test('no reconnect: exactly 50 attempts, 5 disconnects, no VU connects twice, nothing after the stages end', async () => {
  const { r, accepted, closedByServer } = await run('ramp50.js');
  expect(accepted).toBe(50);
  expect(closedByServer).toBe(5);
  expect(r.registry.count('ws_sessions')).toBe(50); // k6's own count of dials
  expect(r.registry.count('ws_connect_attempts')).toBe(50);
  expect(r.registry.count('ws_disconnects')).toBe(5);
  expect(r.registry.count('ws_disconnects', { reason: 'close 4001' })).toBe(5);
  const perVu = new Map<number, number>();
  for (const s of r.sockets) perVu.set(s.vu, (perVu.get(s.vu) ?? 0) + 1);
  expect([...perVu.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  expect([...perVu.values()].every((n) => n === 1)).toBe(true);
  // each VU ran default once: its event loop stayed busy until the end of the stages
  expect([...r.iterations.values()]).toEqual(Array(50).fill(1));
  expect(Math.max(...r.sockets.map((s) => s.at))).toBeLessThanOrEqual(r.stagesEndMs);
  // VU i started at i x 200 ms (k6's schedule), its socket at once
  expect(r.sockets.filter((s) => s.vu === 7).map((s) => s.at - r.startMs)).toEqual([1400]);
  expect(r.interrupted).toBe(0);
  expect(r.logs.filter((l) => l.startsWith('error'))).toEqual([]);
}, 120_000);

test('reconnect: true: the 5 drops reconnect, counted as reconnects (55 attempts in all)', async () => {
  const { r, accepted, closedByServer } = await run('ramp50-reconnect.js');
  // every 10th accepted connection is dropped, reconnects included: 50 + R accepted with R = floor((50 + R) / 10)
  expect(accepted).toBe(55);
  expect(closedByServer).toBe(5);
  expect(r.registry.count('ws_sessions')).toBe(55);
  expect(r.registry.count('ws_connect_attempts')).toBe(55);
  expect(r.registry.count('ws_reconnects')).toBe(5);
  expect(r.registry.count('ws_disconnects')).toBe(5);
  expect([...r.iterations.values()]).toEqual(Array(50).fill(1));
  expect(new Set(r.sockets.map((s) => s.vu)).size).toBe(50);
  expect(Math.max(...r.sockets.map((s) => s.at))).toBeLessThanOrEqual(r.stagesEndMs);
}, 120_000);
