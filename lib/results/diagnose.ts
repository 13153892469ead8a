import type { SecondRow } from './timeseries';
import type { WorkerDiagnostics } from './summary';

/** Above these the load generator, not the target, may be what the latencies measure. */
export const LIMITS = { cpuPct: 90, machineCpuPct: 95, loopDelayMs: 50, scheduleLagP99Ms: 100 };

/**
 * Warnings when the runner itself was the bottleneck (the seed's "client or server?" question).
 * Only the seconds of the schedule count (`endSec`): closing every connection at the end is
 * busy by design and measures nothing. `rampEndSec`: the end of the first ramp, where
 * client-side queueing distorts connect latency most.
 */
export function runnerWarnings(workers: WorkerDiagnostics[], rows: SecondRow[], rampEndSec: number, endSec: number): string[] {
  const out: string[] = [];
  const measured = rows.filter((r) => r.sec < endSec);
  const ramp = measured.filter((r) => r.sec < Math.max(1, rampEndSec));
  const hot = ramp.reduce((m, r) => Math.max(m, r.cpuPctMax), 0);
  if (hot >= LIMITS.cpuPct) {
    out.push(`runner CPU at ${hot}% during the ramp: latencies include client-side queueing (add --workers or generators, or slow the ramp)`);
  } else {
    const anyHot = measured.reduce((m, r) => Math.max(m, r.cpuPctMax), 0);
    if (anyHot >= LIMITS.cpuPct) out.push(`runner CPU reached ${anyHot}% of a core: latencies of that time include client-side queueing`);
  }
  const saturated = ramp.filter((r) => r.machineCpuPct >= LIMITS.machineCpuPct);
  if (saturated.length > 0) {
    const peak = saturated.reduce((m, r) => Math.max(m, r.machineCpuPct), 0);
    out.push(
      `machine CPU at ${peak}% of all cores in ${saturated.length} s of the ramp: the load generator and the target (if on this machine) compete for CPU, so latencies then include CPU queueing on this machine, not only the server's own time`,
    );
  }
  const worst = measured.reduce<SecondRow | undefined>((m, r) => (!m || r.loopDelayMs > m.loopDelayMs ? r : m), undefined);
  if (worst && worst.loopDelayMs >= LIMITS.loopDelayMs) {
    out.push(`runner event loop delayed up to ${worst.loopDelayMs} ms (p99 of second ${worst.sec}): latencies measured then may be inflated by that much`);
  }
  const lag = workers.reduce((m, w) => Math.max(m, w.scheduleLagMs.p99), 0);
  if (lag >= LIMITS.scheduleLagP99Ms) {
    out.push(`connection attempts started up to ${lag} ms late against the plan (p99): the runner could not keep the ramp's pace`);
  }
  for (const w of workers) if (w.died) out.push(`worker ${w.index} died (${w.died}): its VUs are counted as failed or disconnected`);
  return out;
}
