import { M } from '../core/metric-names';
import type { Registry } from '../metrics/registry';
import { maxTarget, planStages, totalDurationMs } from '../scenario/stages';
import { meanLifetime } from '../scenario/lifetime';
import type { ResolvedOptions } from '../scenario/types';

/** What live progress shows besides the row of the second. */
export interface LiveView {
  options: ResolvedOptions;
  elapsedSec: number;
  totalSec: number;
  stage: number;
  stages: number;
  target: number;
  attempted: number;
  failed: number;
  p99: number | null;
  pongRate: number;
}

/** The live view after second `sec`, from the running totals of the coordinator (runner/accounting.ts). */
export function liveViewOf(o: ResolvedOptions, sec: number, totals: Registry): LiveView {
  const stages = planStages(o.stages);
  const t = (sec + 1) * 1000;
  const stageIdx = stages.findIndex((s) => t <= s.startMs + s.durationMs);
  const pong = totals.rates.get(M.pongRate);
  const connect = totals.stats(M.connecting);
  return {
    options: o,
    elapsedSec: sec + 1,
    totalSec: totalDurationMs(stages) / 1000,
    stage: stageIdx < 0 ? stages.length : stageIdx + 1,
    stages: stages.length,
    // an arrive stage's target is its steady state: the held VUs + rate × mean lifetime (docs/arrivals.md)
    target: stages.reduce((m, s) => (s.arrivals ? Math.max(m, Math.round(s.from + (s.arrivals.ratePerSec * meanLifetime(s.arrivals.lifetime)) / 1000)) : m), maxTarget(stages)),
    attempted: totals.counters.get(M.attempts) ?? 0,
    failed: totals.counters.get(M.connectErrors) ?? 0,
    p99: connect.count > 0 ? connect.p99 : null, // null until a connection opened
    pongRate: pong && pong.total ? pong.passes / pong.total : 1,
  };
}
