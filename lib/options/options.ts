import { ConfigError } from '../scenario/config-error';
import { hold, maxTarget, plannedArrivals, planStages, ramp, Stage, totalDurationMs } from '../scenario/stages';
import { arrivalStages } from './arrival-flags';
import { readValue } from './kinds';
import { checkKeys } from './keys';
import { checkMetrics } from './metrics-option';
import { resolveReconnect } from './reconnect-options';
import { resolveSlowReaders, resolveStall } from './flow-options';
import { OPTIONS, OptionRow, OptionTable, resolvedKey, rowNamed } from './table';
import type { ReconnectOptions, ResolvedOptions, ScenarioOptions, VuFunction } from '../scenario/types';
import { checkHeaders, checkProtocols, checkTargetTemplate, checkTokens } from '../core/vu-connection';

/**
 * What the CLI (runner/flags.ts) or k6's `-e` variables (lib/options/k6-env.ts) override, by row name
 * of lib/options/table.ts, already checked where it was read (a duration in ms, a size in bytes);
 * undefined keeps the scenario's. The custom options are typed here; every generic row is one more key.
 */
export interface Overrides {
  [name: string]: unknown;
  target?: string;
  /** `--conns`, and `--duration` and `--ramp` in ms: the stages rewritten as ramp + hold. */
  conns?: number;
  duration?: number;
  ramp?: number;
  /** `--arrival-rate`, `--lifetime` (ms), `--lifetime-dist`: the stages rewritten as one arrive stage (lib/options/arrival-flags.ts). */
  arrivalRate?: number;
  lifetime?: number;
  lifetimeDist?: string;
  /** `--tokens FILE`, one per line. */
  tokens?: string[];
  /** `--header`, replacing the scenario's headers. */
  headers?: Record<string, string>;
  /** `--subprotocol`, replacing the scenario's. */
  protocols?: string[];
  thresholds?: string[];
  extra?: Record<string, unknown>;
  /** `--reconnect*` (lib/options/reconnect-flags.ts): false turns it off; settings turn it on over the scenario's. */
  reconnect?: ReconnectOptions | false;
}

const generic = (row: OptionRow): boolean => row.kind !== 'custom' && row.partOf === undefined;

/** The defaults of the table's generic rows, resolved (`pingIntervalMs: 30000`); a `{ from }` default is another's. */
export function defaultsOf(table: OptionTable = OPTIONS): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of table.filter(generic)) {
    const d = row.default;
    if (typeof d === 'object') out[resolvedKey(row)] = out[resolvedKey(rowNamed(table, d.from))];
    else if (d !== undefined) out[resolvedKey(row)] = readValue(row, d, `the default of ${row.name}`);
  }
  return out;
}

/**
 * A scenario option's error names the file: "options.pingInterval in scenarios/x.ts must be ...";
 * a CLI flag's ("--ping-interval must be ...") and every other error stay as they are.
 */
function inFile<T>(file: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!file || !(err instanceof ConfigError) || !err.message.startsWith('options.')) throw err;
    throw new ConfigError(err.message.replace(/^(options\.[^\s:]+)/, `$1 in ${file}`));
  }
}

/** Checks a loaded scenario module: `options.stages`, keys the table knows, and a default VU function. */
export function checkModule(mod: unknown, file: string, table: OptionTable = OPTIONS): { options: ScenarioOptions; vu: VuFunction } {
  const m = mod as { options?: unknown; default?: unknown };
  if (typeof m.options !== 'object' || m.options === null) {
    throw new ConfigError(`${file} must export "options" with stages, e.g. export const options = { stages: [ramp('30s', 1000), hold('30s')] }`);
  }
  const vu = m.default;
  if (typeof vu !== 'function') {
    throw new ConfigError(`${file} must export a default VU function, e.g. export default function (vu) { vu.connect() }`);
  }
  const options = m.options as ScenarioOptions;
  if (!('stages' in options)) throw new ConfigError(`${file}: options.stages is missing; use [ramp('30s', 1000), hold('30s')]`);
  checkKeys(options, file, table);
  inFile(file, () => {
    try {
      planStages(options.stages);
    } catch (err) {
      // the stage errors name `stages[i]...`: here they are the scenario's options
      if (err instanceof ConfigError && !err.message.startsWith('options.')) throw new ConfigError(`options.${err.message}`);
      throw err;
    }
  });
  return { options, vu: vu as VuFunction };
}

/**
 * Scenario options, then overrides. `--conns`, `--ramp` and `--duration` rewrite the stages as
 * the seed tool did: `ramp(ramp, conns)` then `hold(duration - ramp)`; duration is the whole run.
 * `file` (the scenario's path as the user gave it) is named in the errors of scenario options.
 */
export function resolveOptions(
  scenario: string, opts: ScenarioOptions<object>, o: Overrides, embeddedTarget = '', file?: string, table: OptionTable = OPTIONS,
): ResolvedOptions {
  return inFile(file, () => resolve(scenario, opts, o, embeddedTarget, table));
}

function stagesOf(opts: ScenarioOptions<object>, o: Overrides): Stage[] {
  const planned = planStages(opts.stages);
  const arriving = arrivalStages(planned, o);
  if (arriving) return arriving;
  if (o.conns === undefined && o.duration === undefined && o.ramp === undefined) return opts.stages;
  const first = planned[0];
  const conns = o.conns ?? maxTarget(planned);
  const rampMs = o.ramp ?? (first && first.from === 0 && first.to > 0 ? first.durationMs : 0);
  const durationMs = o.duration ?? Math.max(totalDurationMs(planned), rampMs);
  if (!Number.isInteger(conns) || conns < 1) throw new ConfigError(`--conns must be a whole number >= 1 (got ${conns})`);
  if (durationMs < rampMs) {
    throw new ConfigError(`--duration (${durationMs / 1000}s) must be at least --ramp (${rampMs / 1000}s): the duration is the whole run, ramp included`);
  }
  if (durationMs <= 0) throw new ConfigError('--duration must be more than 0s');
  return [ramp(`${rampMs}ms`, conns), hold(`${durationMs - rampMs}ms`)];
}

/** Each generic row: the override, else the scenario's value (checked as `options.<name>`), else its default. */
function genericOf(opts: ScenarioOptions<object>, o: Overrides, table: OptionTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const given = opts as unknown as Record<string, unknown>;
  const defaults = defaultsOf(table);
  for (const row of table.filter(generic)) {
    const key = resolvedKey(row);
    const d = row.default;
    if (o[row.name] !== undefined) out[key] = o[row.name];
    else if (given[row.name] !== undefined) out[key] = readValue(row, given[row.name], `options.${row.name}`);
    else if (typeof d === 'object') out[key] = out[resolvedKey(rowNamed(table, d.from))];
    else if (d !== undefined) out[key] = defaults[key];
  }
  return out;
}

function resolve(scenario: string, opts: ScenarioOptions<object>, o: Overrides, embeddedTarget: string, table: OptionTable): ResolvedOptions {
  const stages = stagesOf(opts, o);
  const plan = planStages(stages);
  if (maxTarget(plan) < 1 && plannedArrivals(plan) < 1) throw new ConfigError('options.stages must reach at least 1 VU');
  const target = o.target ?? (typeof opts.target === 'string' && opts.target !== '' ? opts.target : embeddedTarget);
  const tokens = o.tokens ?? checkTokens(opts.tokens, 'options.tokens');
  const hasTokens = tokens !== undefined || typeof opts.tokens === 'function';
  if (target !== '' || o.target !== undefined) checkTargetTemplate(target, o.target !== undefined ? '--target' : 'options.target', hasTokens);
  // the function forms of tokens and headers stay in the module (workers load it); only data travels
  const headers = o.headers
    ? checkHeaders(o.headers, '--header', hasTokens)
    : opts.headers === undefined || typeof opts.headers === 'function' ? undefined : checkHeaders(opts.headers, 'options.headers', hasTokens);
  const protocols = o.protocols ?? (opts.protocols === undefined ? undefined : checkProtocols(opts.protocols, 'options.protocols'));
  const thresholds = o.thresholds ?? (opts.thresholds ?? []);
  if (!Array.isArray(thresholds) || thresholds.some((t) => typeof t !== 'string')) {
    throw new ConfigError('options.thresholds must be an array of strings like "connectLatencyMs.p99 < 100"');
  }
  const resolved = {
    scenario,
    target,
    stages,
    ...genericOf(opts, o, table),
    thresholds,
    metrics: checkMetrics(opts.metrics),
    extra: { ...(opts.extra ?? {}), ...(o.extra ?? {}) },
  } as ResolvedOptions;
  if (tokens) resolved.tokens = tokens;
  if (headers) resolved.headers = headers;
  if (protocols) resolved.protocols = protocols;
  const reconnect = reconnectOf(opts.reconnect, o.reconnect);
  if (reconnect) resolved.reconnect = reconnect;
  const slowReaders = resolveSlowReaders(opts.slowReaders);
  const stall = resolveStall(opts.stall);
  if (slowReaders) resolved.slowReaders = slowReaders;
  if (stall) resolved.stall = stall;
  return resolved;
}

export { hold, ramp };

/** The scenario's `reconnect`, with the CLI's (or k6 -e) settings laid over it. */
function reconnectOf(scenario: ScenarioOptions['reconnect'], cli: Overrides['reconnect']): ReturnType<typeof resolveReconnect> {
  if (cli === undefined) return resolveReconnect(scenario);
  if (cli === false) return undefined;
  const base = typeof scenario === 'object' && scenario !== null ? scenario : {};
  return resolveReconnect({ ...base, ...cli }, '--reconnect');
}
