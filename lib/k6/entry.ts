import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { setTimeout } from 'k6/timers';
import type { ResolvedOptions, ScenarioOptions, VuFunction } from '../scenario/types';
import { hooksOf } from '../core/vu-connection';
import { runVuFunction } from '../core/vu-book';
import type { BundleMeta } from './meta';
import { K6Metrics } from './metrics';
import type { K6Options } from './options';
import type { Prepared } from './prepare';
import { lifeVu } from './life-vu';
import { K6ScenarioJson, RunPlan, runPlan } from './run-plan';
import { emptyThresholdWarnings, K6SummaryData } from './summary';
import { K6Vu } from './vu';
import { K6TlsAuth, tlsAuthFromEnv } from './tls-auth';
import { arrivalStageOf } from './arrivals';
import { arrivalLife } from './arrival-life';

export type { BundleMeta } from './meta';

export interface K6Entry {
  options: K6Options & K6TlsAuth;
  /** k6's default function: one iteration is one VU's whole life. */
  iteration(): void;
  /** k6's handleSummary: warns of thresholds that judged no data, then lets k6 print its own summary. */
  summary(data: K6SummaryData): undefined;
}

/**
 * How long an iteration stays past the end of the stages (its VU's life over), and how long one
 * that is no VU life stays (below): long enough for k6 to stop the VU after the end, so that it
 * starts no new iteration, or spins no empty ones meanwhile. k6 stops VUs one by one after the end:
 * 200 VUs take it tens of ms on a busy machine.
 */
const LINGER_MS = 100;
/** Whole-ms clocks on both sides of `Date.now() - exec.scenario.startTime`: each is up to 1 ms behind. */
const CLOCK_SLACK_MS = 2;

/**
 * The plan of what k6 runs (lib/k6/run-plan.ts) in scenario `name`: the bundle's own, prepared once
 * per test (lib/k6/prepare.ts `own`), when k6 runs that one; else read from `exec.test.options`.
 * k6 releases without `exec.test.options` keep the scenario's stages.
 */
function planOfRun(own: ResolvedOptions['stages'], name: string, prepared: Prepared['own']): RunPlan {
  if (prepared && name === prepared.scenario) return prepared.plan;
  let sc: K6ScenarioJson | undefined;
  try {
    sc = (exec.test.options as unknown as { scenarios?: Record<string, K6ScenarioJson> }).scenarios?.[name];
  } catch {
    sc = undefined;
  }
  return runPlan(sc, own, name);
}

/**
 * The test's prepared options (lib/k6/prepare.ts), computed by the first init context that asks and
 * kept in a k6 SharedArray: every other VU's init context reads them back as data instead of
 * validating and mapping the scenario again (bench/README.md "Cost per VU on k6"). A JSON string,
 * so that each VU gets objects of its own, not the array's frozen ones.
 */
function sharedPrepared(prepareOnce: () => Prepared): Prepared {
  const shared = new SharedArray('wsbench prepared options', () => [JSON.stringify(prepareOnce())]);
  return JSON.parse(shared[0] as string) as Prepared;
}

/**
 * Runs in k6's init context (once per VU, and once more to read `options`): takes the prepared
 * options (validated once per test, `prepareOnce` throws one clear error on bad input), declares
 * the metrics and hands k6 its options and default function.
 */
export function k6Entry(mod: unknown, meta: BundleMeta, prepareOnce: () => Prepared): K6Entry {
  const { resolved, options: k6Opts, sources, own, targetName } = sharedPrepared(prepareOnce);
  const scenario = mod as { options: ScenarioOptions; default: VuFunction };
  const vuFn = scenario.default;
  const hooks = hooksOf(scenario.options);
  const metrics = new K6Metrics(meta.metrics);
  // per VU realm: what k6 runs (read at its first iteration), and whether this VU already lived a life
  let plan: { run: RunPlan; options: ResolvedOptions } | undefined;
  let lived = false;
  return {
    // the client certificate is read here, in each init context, and never enters the shared prepared options
    options: { ...k6Opts, ...tlsAuthFromEnv(__ENV, (file) => open(file)) },
    iteration(): void {
      // read once: every read of exec.scenario makes a new object (its six getters with it)
      const sc = exec.scenario;
      const name = sc.name;
      const arriving = arrivalStageOf(name);
      if (arriving !== undefined) return arrivalLife(arriving, sc, { resolved, metrics, hooks, vuFn, targetName });
      if (!plan) {
        try {
          const run = planOfRun(resolved.stages, name, own);
          plan = { run, options: { ...resolved, stages: run.stages } };
        } catch (err) {
          exec.test.abort(String((err as Error)?.message ?? err));
          return;
        }
      }
      const { run, options } = plan;
      const elapsed = Date.now() - sc.startTime;
      // ONE LIFE PER VU: k6 starts a new iteration as soon as one ends, even in the instant between the
      // end of the stages and k6 stopping the VU. An iteration then is no new life: no connection.
      if (elapsed >= run.endMs || (lived && elapsed >= run.endMs - CLOCK_SLACK_MS)) {
        setTimeout(() => undefined, LINGER_MS);
        return;
      }
      lived = true;
      // k6's j-th iteration of the scenario is the j-th VU life it starts: VU index as runner run numbers it
      const j = sc.iterationInTest;
      const vu = new K6Vu(lifeVu(run.stages, j), options, metrics, hooks, targetName);
      // the life (a failed connection included) lasts until the stages end, as on Node; the iteration
      // a little longer, so that k6 has stopped the VU when it ends (one timer at a time, not two for the whole life)
      setTimeout(() => {
        vu.finish();
        setTimeout(() => undefined, LINGER_MS);
      }, Math.max(0, run.endMs - elapsed));
      runVuFunction(vuFn, vu);
    },
    summary(data: K6SummaryData): undefined {
      for (const line of emptyThresholdWarnings(data, sources)) console.warn(line);
      return undefined;
    },
  };
}
