import exec from 'k6/execution';
import { setTimeout } from 'k6/timers';
import { ConfigError } from '../scenario/config-error';
import { parseDuration } from '../scenario/duration';
import { k6Overrides } from '../options/k6-env';
import { checkModule, resolveOptions } from '../options/options';
import { planStages, totalDurationMs } from '../scenario/stages';
import type { ResolvedOptions } from '../scenario/types';
import { hooksOf } from '../core/vu-connection';
import { K6Metrics } from './metrics';
import type { MetricDecl } from './names';
import { K6Options, k6Options } from './options';
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
}

/**
 * When this VU's scenario ends, read from the options k6 actually runs (the script's, or what k6's
 * --stage/--duration made of them), so that VUs close their sockets with k6's schedule; k6 releases
 * without `exec.test.options` fall back to the scenario's stages.
 */
function scenarioEndMs(fallback: number): number {
  try {
    const scenarios = (exec.test.options as unknown as { scenarios?: Record<string, { stages?: Array<{ duration: string }>; duration?: string }> }).scenarios;
    const sc = scenarios?.[exec.scenario.name];
    if (sc?.stages) return sc.stages.reduce((t, st) => t + parseDuration(st.duration), 0);
    if (sc?.duration !== undefined) return parseDuration(sc.duration);
  } catch {
    // no consolidated options to read
  }
  return fallback;
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
  const endMs = totalDurationMs(planStages(resolved.stages));
  return {
    options: k6Options(resolved, meta.name, declared).options,
    iteration(): void {
      const vu = new K6Vu(exec.vu.idInTest - 1, resolved, metrics, hooks);
      // a VU started late in a ramp still ends with the stages, as on Node
      setTimeout(() => vu.finish(), Math.max(0, scenarioEndMs(endMs) - (Date.now() - exec.scenario.startTime)));
      try {
        const r = vuFn(vu);
        if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).then(undefined, (err: unknown) => vu.failed(err));
      } catch (err) {
        vu.failed(err);
      }
    },
  };
}
