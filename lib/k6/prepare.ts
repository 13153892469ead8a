import { ConfigError } from '../scenario/config-error';
import { k6Overrides } from '../options/k6-env';
import { checkModule, resolveOptions } from '../options/options';
import type { ResolvedOptions } from '../scenario/types';
import type { BundleMeta } from './meta';
import { K6Options, k6Options, MappedThreshold } from './options';

/** What the whole test shares, computed once (lib/k6/entry.ts keeps it in a k6 SharedArray): plain data. */
export interface Prepared {
  resolved: ResolvedOptions;
  /** k6's `options`, mapped from `resolved`. */
  options: K6Options;
  /** The thresholds mapped to k6 metrics, for the warnings of handleSummary. */
  sources: MappedThreshold[];
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
  return { resolved, options: mapped.options, sources: mapped.sources };
}
