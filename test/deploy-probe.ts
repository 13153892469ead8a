/**
 * Shared by the deployment tests (containers, network-namespace hosts): a scenario whose every VU
 * records a known value, so that a merged summary can be checked against the exact union of all
 * values, and small process helpers. Connection counts stay modest: the machine is shared.
 */
import { spawn, SpawnOptions } from 'node:child_process';
import { createHistogram, latencyStats, LatencyStats, recordMs } from '../lib/metrics/histogram';
import type { Summary } from '../lib/results/summary';

/** VUs of the whole test; each of the two segments runs half of them. */
export const VUS = 1000;

/**
 * Every VU records `probe_ms` once it is open: segment k holds only the VUs k, k+2, ..., whose values
 * sit in two separate bands, so percentiles averaged over segments differ from the union's.
 */
const PROBE = '(id % 2) * 500 + Math.floor(id / 2) * 0.25 + 1';
export const probeMs = new Function('id', `return ${PROBE};`) as (id: number) => number;

/**
 * Ramp to VUS in 2 s, hold `holdSec`, a ping a second. A longer hold leaves room for every
 * connection to be open at once even when a busy machine makes connects take seconds.
 */
export const probeScenario = (holdSec = 3): string => `
import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [ramp('2s', ${VUS}), hold('${holdSec}s')], pingInterval: '1s', metrics: { probe_ms: 'trend' }, thresholds: ['connections.successRate >= 1'] };
const probeMs = (id: number): number => ${PROBE};
export default function (vu: VuContext): void {
  const s = keepAlive(vu, vu.connect(vu.options.target));
  s.addEventListener('open', () => vu.trend('probe_ms').add(probeMs(vu.id)));
}
`;

/** The stats of the exact union of `probe_ms` over all VUs, through the same HDR settings as the runner. */
export function unionProbeStats(): LatencyStats {
  const h = createHistogram();
  for (let id = 0; id < VUS; id++) recordMs(h, probeMs(id));
  const s = latencyStats(h);
  h.destroy();
  return s;
}

/**
 * The counts a merged run must share with an unsplit one. Not `peak` nor `final`, nor the number of
 * pings: they depend on when each process started and stopped (seconds apart on a busy machine).
 */
export function countsOf(s: Summary): Record<string, number> {
  const c = s.connections;
  return {
    attempted: c.attempted, succeeded: c.succeeded, failed: c.failed, disconnected: c.disconnected,
    connectCount: s.connectLatencyMs.count, probeCount: (s.metrics.probe_ms as LatencyStats).count,
  };
}

export interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (bounded by `timeoutMs`: killed past it), collecting its output. */
export function exec(cmd: string, args: string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Calls `probe` until it returns a value (not undefined), at most `tries` times, `everyMs` apart. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, tries = 200, everyMs = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}
