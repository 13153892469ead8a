import { ConfigError } from '../scenario/config-error';
import { parseDuration } from '../scenario/duration';
import { hold, maxTarget, planStages, ramp, Stage, totalDurationMs } from '../scenario/stages';
import { checkMetrics } from './metrics-option';
import { resolveReconnect } from './reconnect-options';
import { closest } from './suggest';
import { MODES, Mode, PingType, ReconnectOptions, ResolvedOptions, ScenarioOptions, Transport, VuFunction } from '../scenario/types';
import { checkHeaders, checkProtocols, checkTargetTemplate, checkTokens } from '../core/vu-connection';

/** What the CLI may override; undefined means "keep the scenario's". */
export interface Overrides {
  target?: string;
  conns?: number;
  durationMs?: number;
  rampMs?: number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  connectTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  /** `--tokens FILE`, one per line. */
  tokens?: string[];
  /** `--header`, replacing the scenario's headers. */
  headers?: Record<string, string>;
  /** `--subprotocol`, replacing the scenario's. */
  protocols?: string[];
  mode?: string;
  pingType?: string;
  transport?: string;
  thresholds?: string[];
  extra?: Record<string, unknown>;
  /** `--reconnect*` (lib/options/reconnect-flags.ts): false turns it off; settings turn it on over the scenario's. */
  reconnect?: ReconnectOptions | false;
}

export const DEFAULTS = {
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  maxMessageBytes: 1_048_576,
  mode: 'connect-only' as Mode,
  pingType: 'protocol' as PingType,
  transport: 'ws' as Transport,
};

/** Every key of `ScenarioOptions`: anything else in `options` is a mistake, reported with a suggestion. */
const KNOWN: readonly (keyof ScenarioOptions)[] = [
  'stages', 'target', 'pingInterval', 'pongTimeout', 'connectTimeout', 'handshakeTimeout', 'mode', 'pingType', 'transport', 'thresholds',
  'headers', 'protocols', 'tokens', 'reconnect', 'maxMessageSize', 'metrics', 'extra',
];

const STAGES_EG = "stages: [ramp('30s', 1000), hold('30s')]";
/** k6 reflexes: options wsbench expresses with stages. */
const K6_KEYS: Record<string, string> = {
  vus: `VUs over time are set by the stages, e.g. ${STAGES_EG}`,
  iterations: `a VU runs until its stage ends, so the stages set both load and length, e.g. ${STAGES_EG}`,
  duration: `the run lasts as long as its stages, e.g. ${STAGES_EG} (or --duration on the command line)`,
};

/** Rejects a key `ScenarioOptions` does not have: one line naming it, the file and the likely meant key. */
function checkKeys(options: object, file: string): void {
  for (const key of Object.keys(options)) {
    if ((KNOWN as readonly string[]).includes(key)) continue;
    const what = `options.${key} in ${file} is not an option`;
    const k6 = K6_KEYS[key] ?? K6_KEYS[key.toLowerCase()];
    if (k6) throw new ConfigError(`${what}: ${k6}`);
    const near = closest(key, KNOWN);
    const hint = near ? `; did you mean ${near}?` : ` (options are ${KNOWN.join(', ')})`;
    throw new ConfigError(`${what}${hint} Scenario-specific settings go under extra: { ${key}: ... }`);
  }
  const extra = (options as { extra?: unknown }).extra;
  if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) {
    throw new ConfigError(`options.extra in ${file} must be an object of scenario-specific settings (got ${JSON.stringify(extra)})`);
  }
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

const SIZE_UNIT: Record<string, number> = { B: 1, KB: 1024, MB: 1_048_576 };

/** A size in bytes: a number, or "512B", "64KB", "1MB" (binary units). */
function parseSize(v: unknown, what: string): number {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB)\s*$/i.exec(v) : null;
  const bytes = typeof v === 'number' ? v : m ? Number(m[1]) * (SIZE_UNIT[(m[2] as string).toUpperCase()] as number) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) throw new ConfigError(`${what} must be a size like 65536, "64KB" or "1MB" (got ${JSON.stringify(v)})`);
  return Math.floor(bytes);
}

/** Checks a loaded scenario module: `options.stages` and a default VU function. */
export function checkModule(mod: unknown, file: string): { options: ScenarioOptions; vu: VuFunction } {
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
  checkKeys(options, file);
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

export function checkMode(mode: unknown, what = '--mode'): Mode {
  if (!MODES.includes(mode as Mode)) throw new ConfigError(`${what} must be one of ${MODES.join(', ')} (got ${JSON.stringify(mode)})`);
  return mode as Mode;
}

function checkTransport(t: unknown, what: string): Transport {
  if (t !== 'ws' && t !== 'raw') throw new ConfigError(`${what} must be ws or raw (got ${JSON.stringify(t)})`);
  return t;
}

function checkPingType(t: unknown, what = '--ping-type'): PingType {
  if (t !== 'protocol' && t !== 'app') throw new ConfigError(`${what} must be protocol or app (got ${JSON.stringify(t)})`);
  return t;
}

/**
 * A positive duration: the CLI flag's value, else the scenario option's, else the default; an error
 * names where the bad value came from (`--ping-interval` or `options.pingInterval`).
 */
function positiveDuration(cli: number | undefined, flag: string, value: unknown, key: string, fallback: number): number {
  const what = cli !== undefined ? flag : `options.${key}`;
  const ms = cli ?? (value === undefined ? fallback : parseDuration(value, what));
  if (!(ms > 0)) throw new ConfigError(`${what} must be more than 0s`);
  return ms;
}

/**
 * Scenario options, then CLI overrides. `--conns`, `--ramp` and `--duration` rewrite the stages as
 * the seed tool did: `ramp(ramp, conns)` then `hold(duration - ramp)`; duration is the whole run.
 * `file` (the scenario's path as the user gave it) is named in the errors of scenario options.
 */
export function resolveOptions(scenario: string, opts: ScenarioOptions, o: Overrides, embeddedTarget = '', file?: string): ResolvedOptions {
  return inFile(file, () => resolve(scenario, opts, o, embeddedTarget));
}

function stagesOf(opts: ScenarioOptions, o: Overrides): Stage[] {
  const planned = planStages(opts.stages);
  if (o.conns === undefined && o.durationMs === undefined && o.rampMs === undefined) return opts.stages;
  const first = planned[0];
  const conns = o.conns ?? maxTarget(planned);
  const rampMs = o.rampMs ?? (first && first.from === 0 && first.to > 0 ? first.durationMs : 0);
  const durationMs = o.durationMs ?? Math.max(totalDurationMs(planned), rampMs);
  if (!Number.isInteger(conns) || conns < 1) throw new ConfigError(`--conns must be a whole number >= 1 (got ${conns})`);
  if (durationMs < rampMs) {
    throw new ConfigError(`--duration (${durationMs / 1000}s) must be at least --ramp (${rampMs / 1000}s): the duration is the whole run, ramp included`);
  }
  if (durationMs <= 0) throw new ConfigError('--duration must be more than 0s');
  return [ramp(`${rampMs}ms`, conns), hold(`${durationMs - rampMs}ms`)];
}

function resolve(scenario: string, opts: ScenarioOptions, o: Overrides, embeddedTarget: string): ResolvedOptions {
  const stages = stagesOf(opts, o);
  if (maxTarget(planStages(stages)) < 1) throw new ConfigError('options.stages must reach at least 1 VU');
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
  const connectTimeoutMs = positiveDuration(o.connectTimeoutMs, '--connect-timeout', opts.connectTimeout, 'connectTimeout', DEFAULTS.connectTimeoutMs);
  const resolved: ResolvedOptions = {
    scenario,
    target,
    stages,
    pingIntervalMs: positiveDuration(o.pingIntervalMs, '--ping-interval', opts.pingInterval, 'pingInterval', DEFAULTS.pingIntervalMs),
    pongTimeoutMs: positiveDuration(o.pongTimeoutMs, '--pong-timeout', opts.pongTimeout, 'pongTimeout', DEFAULTS.pongTimeoutMs),
    connectTimeoutMs,
    handshakeTimeoutMs: positiveDuration(o.handshakeTimeoutMs, '--handshake-timeout', opts.handshakeTimeout, 'handshakeTimeout', connectTimeoutMs),
    maxMessageBytes: opts.maxMessageSize === undefined ? DEFAULTS.maxMessageBytes : parseSize(opts.maxMessageSize, 'options.maxMessageSize'),
    mode: checkMode(o.mode ?? opts.mode ?? DEFAULTS.mode, o.mode !== undefined ? '--mode' : 'options.mode'),
    pingType: checkPingType(o.pingType ?? opts.pingType ?? DEFAULTS.pingType, o.pingType !== undefined ? '--ping-type' : 'options.pingType'),
    transport: checkTransport(o.transport ?? opts.transport ?? DEFAULTS.transport, o.transport !== undefined ? '--transport' : 'options.transport'),
    thresholds,
    metrics: checkMetrics(opts.metrics),
    extra: { ...(opts.extra ?? {}), ...(o.extra ?? {}) },
  };
  if (tokens) resolved.tokens = tokens;
  if (headers) resolved.headers = headers;
  if (protocols) resolved.protocols = protocols;
  const reconnect = reconnectOf(opts.reconnect, o.reconnect);
  if (reconnect) resolved.reconnect = reconnect;
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
