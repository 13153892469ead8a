import { ConfigError } from '../scenario/config-error';
import { planStages, ramp, Stage, totalDurationMs } from '../scenario/stages';

/**
 * What k6 actually runs, as the VU's plan. k6 hands a script its consolidated options in
 * `exec.test.options` (k6/execution): the bundle's own scenario, or what `--stage`, `--vus` and
 * `--duration` replaced it with (k6 then names the scenario `default`). The plan turns that
 * scenario back into wsbench stages, so that `vu.options.stages` (and `peakWindow`, `sendPlan`,
 * keepAlive's pings) follow what k6 runs.
 */

/** One scenario of `exec.test.options.scenarios`, as k6 shows it (JSON of its consolidated config). */
export interface K6ScenarioJson {
  executor?: string;
  startVUs?: number | null;
  stages?: Array<{ duration: string; target?: number | null }> | null;
  vus?: number | null;
  duration?: string | null;
  iterations?: number | null;
}

export interface RunPlan {
  /** The stages k6 runs, as wsbench stages (a start level is a 0 s ramp to it). */
  stages: Stage[];
  /** When the stages end, ms from the scenario's start. */
  endMs: number;
}

const GO_UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ns: 1e-6 };

/** A Go duration as k6 prints one (`1m30s`, `1.5s`, `500ms`, `250µs`, `0s`), in ms. */
export function goDurationMs(text: string, what: string): number {
  let total = 0;
  // made at each call (once per VU life), not in every VU's init (bench/README.md "Cost per VU on k6")
  const GO_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/y;
  while (GO_PART.lastIndex < text.length) {
    const at = GO_PART.lastIndex;
    const m = GO_PART.exec(text);
    if (!m || m.index !== at) throw new ConfigError(`${what}: k6 shows the duration ${JSON.stringify(text)}, which wsbench cannot read`);
    total += Number(m[1]) * (GO_UNIT_MS[m[2] as string] as number);
  }
  if (text === '') throw new ConfigError(`${what}: k6 shows no duration`);
  return total;
}

/** A count k6 leaves null when it was not set: its executors' defaults (1 start VU, 1 VU) apply. */
const orOne = (n: number | null | undefined): number => (typeof n === 'number' ? n : 1);

/** The stages of a k6 scenario; `own` are the scenario's own stages (for `--vus` alone, which keeps their length). */
export function k6ScenarioStages(sc: K6ScenarioJson, own: Stage[], name: string): Stage[] {
  const what = `k6 scenario "${name}"`;
  const start = (n: number): Stage[] => (n > 0 ? [ramp('0s', n)] : []);
  switch (sc.executor) {
    case 'ramping-vus': {
      const stages = (sc.stages ?? []).map((st, i) => ramp(goDurationMs(st.duration, `${what} stage ${i + 1}`), st.target ?? 0));
      return [...start(orOne(sc.startVUs)), ...stages];
    }
    case 'constant-vus':
      return [...start(orOne(sc.vus)), { duration: goDurationMs(sc.duration ?? '', `${what} duration`) }];
    case 'shared-iterations':
      // `k6 run --vus N` alone: N iterations on N VUs at once, each one VU's life of the scenario's own length
      if (orOne(sc.vus) === sc.iterations) return [...start(sc.iterations), { duration: totalDurationMs(planStages(own)) }];
      break;
  }
  throw new ConfigError(
    `${what} runs the ${sc.executor ?? 'unknown'} executor${sc.iterations ? ` with ${sc.iterations} iterations` : ''}: a wsbench bundle runs one connection's life per VU over stages; use --stage, or --vus with --duration, or the bundle's own options`,
  );
}

/** The plan of a run from k6's scenario (or the scenario's own stages when k6 shows none). */
export function runPlan(sc: K6ScenarioJson | undefined, own: Stage[], name: string): RunPlan {
  const stages = sc ? k6ScenarioStages(sc, own, name) : own;
  return { stages, endMs: totalDurationMs(planStages(stages)) };
}
