import { planStages, Stage } from '../scenario/stages';

/**
 * The VU index of ramped life j in the order the plan starts them (k6's j-th iteration is life j;
 * j itself past the plan's lives), found when the life starts without making the plan's events
 * (every VU's start and stop: 500 objects a VU at 500 VUs, bench/README.md "Cost per VU on k6").
 * The ramped starts come in the order planVuEvents makes them (its sort, for arrive stages, is stable
 * and they are in time order): stage by stage, each ramp up starting its VUs `from` to `to - 1`.
 * test/life-vus.ts makes the same list from the events, for the unit tests. A module of its own: every
 * VU runs it, while the rest of lib/k6/run-plan.ts runs only under k6's overrides (build/k6-lazy-stubs.ts).
 */
export function lifeVu(stages: Stage[], j: number): number {
  let n = 0;
  for (const st of planStages(stages)) {
    if (st.to <= st.from) continue;
    if (j < n + st.to - st.from) return st.from + j - n;
    n += st.to - st.from;
  }
  return j;
}
