import { setTimeout } from 'k6/timers';
import { M } from '../core/metric-names';
import { runVuFunction } from '../core/vu-book';
import type { ScenarioHooks } from '../core/vu-connection';
import { arrivalLifetime } from '../scenario/arrivals';
import { PlannedStage, planStages, totalDurationMs } from '../scenario/stages';
import type { ResolvedOptions, VuFunction } from '../scenario/types';
import type { K6Metrics } from './metrics';
import { K6Vu } from './vu';

export interface ArrivalHost {
  resolved: ResolvedOptions;
  metrics: K6Metrics;
  hooks: ScenarioHooks;
  vuFn: VuFunction;
  /** The target's name tag (lib/k6/prepare.ts `targetName`). */
  targetName: string;
}

/** What an arrival reads of k6's `exec.scenario` (read once by lib/k6/entry.ts). */
export interface ArrivalScenario {
  iterationInTest: number;
  startTime: number;
}

/** Per VU realm: the planned stages, computed at the first arrival. */
let stages: PlannedStage[] | undefined;

/**
 * One iteration of an arrival scenario (lib/k6/arrivals.ts): arrival k of arrive stage `i` is VU
 * firstVu + k, with the lifetime runner run draws for it (lib/scenario/lifetime.ts). At its lifetime
 * it departs (onStop, close 1000; counted in vus_departed and session_lifetime); one still alive
 * at the run's end finishes as every VU does there. The iteration ends when its sockets have closed.
 */
export function arrivalLife(i: number, sc: ArrivalScenario, h: ArrivalHost): void {
  stages ??= planStages(h.resolved.stages);
  const st = stages[i];
  const a = st?.arrivals;
  const k = sc.iterationInTest;
  // k6 starts one iteration more at the very end of a stage whose rate × duration is whole: no arrival of the plan
  if (!st || !a || k >= a.count) return;
  const startedAt = Date.now();
  const untilEnd = totalDurationMs(stages) - (st.startMs + (startedAt - sc.startTime));
  const life = arrivalLifetime(a, k);
  h.metrics.add(M.vusArrived);
  const vu = new K6Vu(a.firstVu + k, h.resolved, h.metrics, h.hooks, h.targetName);
  if (life <= untilEnd) {
    setTimeout(() => vu.depart(() => {
      h.metrics.add(M.vusDeparted);
      h.metrics.trend(M.sessionLifetime, Date.now() - startedAt);
    }), life);
  } else setTimeout(() => vu.finish(), Math.max(0, untilEnd));
  runVuFunction(h.vuFn, vu);
}
