import { maxTarget, PlannedStage, planVuEvents } from './stages';

/**
 * The most VUs the plan holds alive at once, ramped and arriving together: what sizes workers,
 * the embedded server and the preflight (runner/setup.ts). Without an arrive stage it is the
 * highest ramp target; with one, a sweep over the planned starts and departures (each VU one
 * connection, as in the built-in scenarios). Pure.
 */
export function peakVus(stages: PlannedStage[]): number {
  if (!stages.some((s) => s.arrivals)) return maxTarget(stages);
  let alive = 0;
  let peak = 0;
  for (const e of planVuEvents(stages)) {
    alive += e.kind === 'start' ? 1 : -1;
    if (alive > peak) peak = alive;
  }
  return peak;
}
