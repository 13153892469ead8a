import { redactUrl } from '../core/redact';
import { ConfigError } from '../scenario/config-error';
import { k6Overrides } from '../options/k6-env';
import { checkModule, resolveOptions } from '../options/options';
import type { ResolvedOptions } from '../scenario/types';
import type { BundleMeta } from './meta';
import { K6Options, k6Options, MappedThreshold, scenarioKey } from './options';
import { K6ScenarioJson, RunPlan, runPlan } from './run-plan';

/** What the whole test shares, computed once (lib/k6/entry.ts keeps it in a k6 SharedArray): plain data. */
export interface Prepared {
  resolved: ResolvedOptions;
  /** k6's `options`, mapped from `resolved`. */
  options: K6Options;
  /** The thresholds mapped to k6 metrics, for the warnings of handleSummary. */
  sources: MappedThreshold[];
  /**
   * The bundle's own ramped scenario (its k6 key) and its plan, made from the stages the bundle hands
   * k6 exactly as lib/k6/entry.ts makes it from `exec.test.options` when k6 shows them: a VU that
   * k6 runs in that scenario takes it from here instead of reading `exec.test.options` (a copy of
   * every option k6 makes for each VU that reads it). k6 keeps the script's scenarios unless
   * `--stage`, `--vus`, `--duration` or `--iterations` replace them, and names the replacement
   * `default` (docs/k6.md, "k6 behaviours encoded"): a scenario keyed `default` is never taken from here.
   */
  own?: { scenario: string; plan: RunPlan };
  /** The `name` tag of a connection to the target (lib/k6/socket.ts K6ConnectTags): the template, secrets redacted, once per test. */
  targetName: string;
}

/** The plan of the bundle's own ramped scenario, when it has one that k6's replacement cannot be taken for. */
function ownPlan(options: K6Options, name: string): Prepared['own'] {
  const key = scenarioKey(name);
  const sc = options.scenarios[key];
  if (key === 'default' || sc?.executor !== 'ramping-vus') return undefined;
  return { scenario: key, plan: runPlan(sc as K6ScenarioJson, [], key) };
}

/**
 * Validates the scenario as `runner run` does, applies its `-e` variables (every `k6Env` of
 * lib/options/table.ts) and maps the options for k6. Throws one clear error on bad input. The build
 * (build/k6.ts) reaches this module through a `require` only, so esbuild evaluates it (and the
 * option table) where it is called: once per test, not in every VU's init context.
 */
export function prepare(mod: unknown, meta: BundleMeta): Prepared {
  const { options: scenario } = checkModule(mod, meta.file);
  const resolved: ResolvedOptions = resolveOptions(meta.name, scenario, k6Overrides(__ENV), '', meta.file);
  if (resolved.target === '') throw new ConfigError('no target: run with -e TARGET=ws://host:port/ws (k6 has no embedded server)');
  const mapped = k6Options(resolved, meta.name, Object.entries(meta.metrics).map(([name, kind]) => ({ name, kind })));
  return { resolved, options: mapped.options, sources: mapped.sources, own: ownPlan(mapped.options, meta.name), targetName: redactUrl(resolved.target) };
}
