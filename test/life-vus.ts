import { planStages, planVuEvents, Stage } from '../lib/scenario/stages';

/**
 * The known answer lib/k6/run-plan.ts `lifeVu` must give: the VU index of each ramped VU life in the
 * order the plan's events start them (k6's j-th iteration is life j), made from every event of the plan.
 */
export function lifeVus(stages: Stage[]): number[] {
  // the ramped VUs' lives only: arriving VUs are iterations of their own scenarios (lib/k6/arrival-life.ts)
  return planVuEvents(planStages(stages)).filter((e) => e.kind === 'start' && !e.arrival).map((e) => e.vu);
}
