import { formatDuration } from '../scenario/duration';
import { ConfigError } from '../scenario/config-error';
import { lifetimeQuantile, meanLifetime } from '../scenario/lifetime';
import { planStages, totalDurationMs } from '../scenario/stages';
import type { ResolvedOptions } from '../scenario/types';

/**
 * Arrive stages (lib/scenario/arrivals.ts) as k6 `constant-arrival-rate` scenarios, one a stage,
 * started at the stage's start (docs/arrivals.md, "On k6"). k6 spaces arrivals evenly: a
 * `poisson` stage runs evenly spaced there, the same count. An iteration is one arriving VU's life
 * (lib/k6/entry.ts): it ends once its lifetime is over and its VU closed with 1000.
 */
export interface K6ArrivalScenario {
  executor: 'constant-arrival-rate';
  rate: number;
  timeUnit: string;
  duration: string;
  startTime: string;
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStop: string;
}

/** The k6 scenario name of arrive stage `i` of the scenario keyed `key`: lib/k6/entry.ts reads the stage back from it. */
export const arrivalScenarioName = (key: string, i: number): string => `${key}_arrive${i}`;
/** The stage index of an arrival scenario's name; undefined for another scenario. */
export function arrivalStageOf(name: string): number | undefined {
  // the regular expression only for a name that can match: a VU of no arrive stage makes none
  const m = name.includes('_arrive') ? /_arrive(\d+)$/.exec(name) : null;
  return m ? Number(m[1]) : undefined;
}

/** k6 takes a whole rate per timeUnit: 2.5/s is 5 per 2 s. */
function rateUnit(perSec: number, what: string): { rate: number; timeUnit: string } {
  for (const sec of [1, 2, 3, 4, 5, 6, 10, 15, 20, 25, 30, 50, 60, 100, 1000]) {
    const n = perSec * sec;
    if (Math.abs(n - Math.round(n)) < 1e-9) return { rate: Math.round(n), timeUnit: `${sec}s` };
  }
  throw new ConfigError(`${what}: k6 takes a whole number of arrivals per time unit; ${perSec}/s is none over 1 to 1000 s (use e.g. ${Math.round(perSec * 100) / 100})`);
}

/**
 * The arrival scenarios of `o`'s stages. VUs from rate × lifetime: preallocated for the mean
 * open count with room for its spread, at most for the p99.9 lifetime; never more than arrive.
 * `graceMs`: the end of a life past the run's end (lib/core/drain.ts).
 */
export function k6ArrivalScenarios(o: ResolvedOptions, key: string, graceMs: number): Record<string, K6ArrivalScenario> {
  const stages = planStages(o.stages);
  const endMs = totalDurationMs(stages);
  const out: Record<string, K6ArrivalScenario> = {};
  stages.forEach((st, i) => {
    const a = st.arrivals;
    if (!a) return;
    const open = (a.ratePerSec * meanLifetime(a.lifetime)) / 1000;
    const most = Math.ceil((a.ratePerSec * lifetimeQuantile(a.lifetime, 0.999)) / 1000) + 2;
    const pre = Math.min(a.count, Math.ceil(open + 3 * Math.sqrt(open)) + 2);
    out[arrivalScenarioName(key, i)] = {
      executor: 'constant-arrival-rate',
      ...rateUnit(a.ratePerSec, `stages[${i}].arrive.rate`),
      duration: formatDuration(st.durationMs),
      startTime: formatDuration(st.startMs),
      preAllocatedVUs: Math.max(1, pre),
      maxVUs: Math.max(1, pre, Math.min(a.count, most)),
      // a life may last past its stage: until the run's end, then the drain and the closes
      gracefulStop: formatDuration(endMs - st.startMs - st.durationMs + graceMs),
    };
  });
  return out;
}

/** What the build says of the arrive stages k6 runs otherwise: k6 spaces arrivals evenly. */
export function k6ArrivalNotes(o: ResolvedOptions): string[] {
  const out: string[] = [];
  planStages(o.stages).forEach((st, i) => {
    if (st.arrivals?.spacing === 'poisson') out.push(`stages[${i}]: k6 spaces arrivals evenly; its ${st.arrivals.count} Poisson arrivals run evenly spaced there (docs/arrivals.md)`);
  });
  return out;
}
