import exec from 'k6/execution';
import { setTimeout } from 'k6/timers';
import { ConfigError } from '../scenario/config-error';
import { k6Overrides } from '../options/k6-env';
import { checkModule, resolveOptions } from '../options/options';
import type { ResolvedOptions } from '../scenario/types';
import { hooksOf } from '../core/vu-connection';
import { runVuFunction } from '../core/vu-book';
import { K6Metrics } from './metrics';
import type { MetricDecl } from './names';
import { K6Options, k6Options } from './options';
import { K6ScenarioJson, RunPlan, runPlan } from './run-plan';
import { emptyThresholdWarnings, K6SummaryData } from './summary';
import { K6Vu } from './vu';

/** What the build knows about a scenario and hands to its bundle. */
export interface BundleMeta {
  /** Scenario name (file name without extension): the k6 scenario key. */
  name: string;
  /** The scenario file as the user named it, for messages. */
  file: string;
  /**
   * Every metric the bundle declares in k6's init context: lib/k6's own and those the scenario's
   * reachable code records (computed by the build, checked against k6's rules there).
   */
  metrics: MetricDecl[];
}

export interface K6Entry {
  options: K6Options;
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

/** The plan of what k6 runs (lib/k6/run-plan.ts); k6 releases without `exec.test.options` keep the scenario's stages. */
function planOfRun(own: ResolvedOptions['stages']): RunPlan {
  let sc: K6ScenarioJson | undefined;
  try {
    sc = (exec.test.options as unknown as { scenarios?: Record<string, K6ScenarioJson> }).scenarios?.[exec.scenario.name];
  } catch {
    sc = undefined;
  }
  return runPlan(sc, own, exec.scenario.name);
}

/**
 * Runs in k6's init context (once per VU, and once more to read `options`): validates the scenario
 * as `runner run` does, applies its `-e` variables (every `k6Env` of lib/options/table.ts), declares the
 * metrics and maps the options. Throws one clear error on bad input.
 */
export function k6Entry(mod: unknown, meta: BundleMeta): K6Entry {
  const { options: scenario, vu: vuFn } = checkModule(mod, meta.file);
  const resolved: ResolvedOptions = resolveOptions(meta.name, scenario, k6Overrides(__ENV), '', meta.file);
  if (resolved.target === '') throw new ConfigError('no target: run with -e TARGET=ws://host:port/ws (k6 has no embedded server)');
  const hooks = hooksOf(scenario);
  const declared = meta.metrics;
  const metrics = new K6Metrics(declared);
  const mapped = k6Options(resolved, meta.name, declared);
  // per VU realm: what k6 runs (read at its first iteration), and whether this VU already lived a life
  let plan: { run: RunPlan; options: ResolvedOptions } | undefined;
  let lived = false;
  return {
    options: mapped.options,
    iteration(): void {
      if (!plan) {
        try {
          const run = planOfRun(resolved.stages);
          plan = { run, options: { ...resolved, stages: run.stages } };
        } catch (err) {
          exec.test.abort(String((err as Error)?.message ?? err));
          return;
        }
      }
      const { run, options } = plan;
      const elapsed = Date.now() - exec.scenario.startTime;
      // ONE LIFE PER VU: k6 starts a new iteration as soon as one ends, even in the instant between the
      // end of the stages and k6 stopping the VU. An iteration then is no new life: no connection.
      if (elapsed >= run.endMs || (lived && elapsed >= run.endMs - CLOCK_SLACK_MS)) {
        setTimeout(() => undefined, LINGER_MS);
        return;
      }
      lived = true;
      // k6's j-th iteration of the scenario is the j-th VU life it starts: VU index as runner run numbers it
      const j = exec.scenario.iterationInTest;
      const vu = new K6Vu(run.starts[j] ?? j, options, metrics, hooks);
      // the life (a failed connection included) lasts until the stages end, as on Node; the iteration
      // a little longer, so that k6 has stopped the VU when it ends
      const untilEnd = Math.max(0, run.endMs - elapsed);
      setTimeout(() => vu.finish(), untilEnd);
      setTimeout(() => undefined, untilEnd + LINGER_MS);
      runVuFunction(vuFn, vu);
    },
    summary(data: K6SummaryData): undefined {
      for (const line of emptyThresholdWarnings(data, mapped.sources)) console.warn(line);
      return undefined;
    },
  };
}
