import { formatDuration } from '../scenario/duration';
import { MODES, ResolvedOptions, ScenarioOptions } from '../scenario/types';
import { RECONNECT_DEFAULTS } from './reconnect-options';

/**
 * How a row's value is read (lib/options/kinds.ts), from a scenario, a flag or a `-e` variable alike:
 * `duration` more than 0s (`zero`: 0s too), `size` bytes or "64KB", `enum` one of `values`, `whole` a
 * whole number >= 1, `number`, `string`, `list` of strings (a repeatable flag), `boolean`. `custom`: read by
 * its own code (lib/options/options.ts for the scenario's value; runner/flags.ts and lib/options/k6-env.ts
 * for a flag's and a variable's), with `flagType` the form its flag takes.
 */
export type OptionKind = 'duration' | 'size' | 'enum' | 'whole' | 'number' | 'string' | 'list' | 'boolean' | 'custom';

/** The form of a flag on the command line (yargs' types, `list`: repeatable). */
export type FlagType = 'string' | 'number' | 'boolean' | 'list';

/** One option, declared once: what its key check, defaults, flags, --help, k6 variables and docs derive from. */
export interface OptionRow {
  /** The key in a scenario's `options`; with `partOf`, the setting's own name (`conns`). */
  readonly name: string;
  readonly kind: OptionKind;
  /** `enum`: the values it takes. */
  readonly values?: readonly string[];
  /** `enum`: its errors say "one of a, b" (a list that grows), not "a or b". */
  readonly oneOf?: boolean;
  /** `duration`: 0s is allowed. */
  readonly zero?: boolean;
  /** `custom`: the form of its flag (default string). */
  readonly flagType?: FlagType;
  /** The default as a scenario writes it ('30s'); `{ from }`: the value of that other option. */
  readonly default?: string | number | boolean | { readonly from: string };
  /** The default in words, for --help and the docs, where it is no value of its own ('the embedded server'). */
  readonly defaultDoc?: string;
  /** The command-line flag, without its dashes (`ping-interval`). */
  readonly flag?: string;
  /** The k6 `-e` variable (`PING_INTERVAL`). */
  readonly k6Env?: string;
  /** One line: what it is (--help and the docs). */
  readonly doc: string;
  /** The docs page that says more, relative to docs/ (`failures.md#timeouts`). */
  readonly see?: string;
  /** Not a key of `options`: a flag (or variable) that sets part of this option (`--conns` of `stages`). */
  readonly partOf?: string;
  /** The key in `ResolvedOptions` when it is not the name (a duration's is name + `Ms`). */
  readonly resolved?: string;
}

/** The rows of one table, in order: the order of --help, of the docs and of "options are ...". */
export type OptionTable = readonly OptionRow[];

const RC = RECONNECT_DEFAULTS;

/** Every option of a scenario, and the flags and k6 variables that set them. */
export const OPTIONS = [
  { name: 'stages', kind: 'custom', defaultDoc: 'required', doc: '`ramp(duration, target)`, `hold(duration)` and `arrive(duration, rate, { lifetime })`, in order; the flags rewrite them as ramp + hold, or one arrive stage' },
  { name: 'conns', partOf: 'stages', kind: 'whole', flag: 'conns', doc: 'connections (VUs) to reach; rewrites the stages as ramp + hold' },
  { name: 'duration', partOf: 'stages', kind: 'duration', zero: true, flag: 'duration', doc: 'whole run, ramp included (e.g. 60s, 1m30s)' },
  { name: 'ramp', partOf: 'stages', kind: 'duration', zero: true, flag: 'ramp', doc: 'ramp-up time (e.g. 30s)' },
  {
    name: 'arrivalRate', partOf: 'stages', kind: 'number', flag: 'arrival-rate', see: 'arrivals.md',
    doc: 'open model: new connections a second for --duration, each living --lifetime; rewrites the stages as one arrive stage',
  },
  { name: 'lifetime', partOf: 'stages', kind: 'duration', flag: 'lifetime', see: 'arrivals.md', doc: 'with --arrival-rate: how long each connection lives (its mean, for exp and lognormal)' },
  {
    name: 'lifetimeDist', partOf: 'stages', kind: 'enum', values: ['fixed', 'exp', 'uniform', 'lognormal'], flag: 'lifetime-dist', defaultDoc: 'fixed', see: 'arrivals.md',
    doc: 'with --arrival-rate: fixed | exp | uniform (0 to 2 × lifetime) | lognormal (sigma 1); arrivals are Poisson, seed 1',
  },
  {
    name: 'target', kind: 'custom', flag: 'target', k6Env: 'TARGET', defaultDoc: 'the embedded server, on a free loopback port',
    doc: 'WebSocket URL (ws:// or wss://); may hold ${vu} and ${token}',
  },
  { name: 'pingInterval', kind: 'duration', default: '30s', flag: 'ping-interval', k6Env: 'PING_INTERVAL', doc: 'heartbeat interval of each connection (keepAlive, vu.options.pingIntervalMs)' },
  { name: 'pongTimeout', kind: 'duration', default: '10s', flag: 'pong-timeout', doc: 'a ping without its pong after this counts as lost' },
  { name: 'connectTimeout', kind: 'duration', default: '10s', flag: 'connect-timeout', see: 'failures.md#timeouts', doc: 'limit of a whole attempt: TCP connect, TLS, upgrade' },
  {
    name: 'handshakeTimeout', kind: 'duration', default: { from: 'connectTimeout' }, flag: 'handshake-timeout', see: 'failures.md#timeouts',
    doc: 'limit of the upgrade once TCP/TLS is up',
  },
  {
    name: 'mode', kind: 'enum', values: MODES, oneOf: true, default: 'connect-only', flag: 'mode',
    doc: 'traffic mode: connect-only | messaging (wsbench runs its built-in scenario; a scenario reads vu.options.mode)',
  },
  {
    name: 'pingType', kind: 'enum', values: ['protocol', 'app'], default: 'protocol', flag: 'ping-type',
    doc: 'heartbeat: protocol (ping frames) | app ({"type":"ping"}, answered by {"type":"pong"})',
  },
  {
    name: 'transport', kind: 'enum', values: ['auto', 'ws', 'raw'], default: 'auto', flag: 'transport', see: 'transport.md',
    doc: 'WebSocket client of the Node engine: auto (raw unless compression needs ws) | ws | raw (own upgrade over net/tls, ws framing; lighter); k6 ignores it',
  },
  {
    name: 'compression', kind: 'boolean', default: false, flag: 'compression', k6Env: 'COMPRESSION', see: 'transport.md#compression',
    doc: 'offer permessage-deflate (ws perMessageDeflate on Node, compression: deflate on k6); not with --transport raw',
  },
  {
    name: 'slowReaders', kind: 'custom', defaultDoc: 'none', see: 'slow-readers.md',
    doc: 'a share of VUs that read slowly: { share: 0.05, bytesPerSec: 1024 } (Node only; the k6 build refuses it)',
  },
  {
    name: 'stall', kind: 'custom', defaultDoc: 'none', see: 'slow-readers.md',
    doc: "a share of VUs that stop reading for a while: { share: 0.05, after: '5s', for: '10s' } (Node only)",
  },
  {
    name: 'thresholds', kind: 'custom', flagType: 'list', flag: 'threshold', defaultDoc: "the seed's goals", see: 'outputs.md#thresholds',
    doc: 'pass/fail criteria on summary fields, e.g. "connectLatencyMs.p99<100"; the flag repeats, and replaces them',
  },
  {
    name: 'headers', kind: 'custom', flagType: 'list', flag: 'header', defaultDoc: 'none',
    doc: 'headers of every connection, values may hold ${vu} and ${token}; the flag repeats: "Authorization: Bearer ${token}"',
  },
  { name: 'protocols', kind: 'custom', flagType: 'list', flag: 'subprotocol', defaultDoc: 'none', doc: 'WebSocket subprotocols offered by every connection; the flag repeats' },
  {
    name: 'tokens', kind: 'custom', flag: 'tokens', defaultDoc: 'none',
    doc: 'tokens for ${token} in the target and headers, VU i gets token i mod n; the flag names a file of one token per line',
  },
  {
    name: 'reconnect', kind: 'custom', flagType: 'boolean', flag: 'reconnect', k6Env: 'RECONNECT', defaultDoc: 'off', see: 'failures.md#reconnect',
    doc: "reopen a dropped connection after a backoff (keepAlive); --no-reconnect (-e RECONNECT=0) turns a scenario's options.reconnect off",
  },
  {
    name: 'reconnectInitial', partOf: 'reconnect', kind: 'custom', flag: 'reconnect-initial', k6Env: 'RECONNECT_INITIAL',
    defaultDoc: formatDuration(RC.initialDelayMs), doc: 'first wait after a drop; turns reconnect on',
  },
  {
    name: 'reconnectMax', partOf: 'reconnect', kind: 'custom', flag: 'reconnect-max', k6Env: 'RECONNECT_MAX',
    defaultDoc: formatDuration(RC.maxDelayMs), doc: 'longest wait between retries; turns reconnect on',
  },
  {
    name: 'reconnectJitter', partOf: 'reconnect', kind: 'custom', flagType: 'number', flag: 'reconnect-jitter', k6Env: 'RECONNECT_JITTER',
    defaultDoc: String(RC.jitter), doc: 'random share of each wait, 0 to 1; turns reconnect on',
  },
  {
    name: 'maxMessageSize', kind: 'size', default: '1MB', resolved: 'maxMessageBytes',
    doc: 'largest message accepted from the server (bytes, "64KB", "1MB"); larger closes with 1009',
  },
  {
    name: 'metrics', kind: 'custom', defaultDoc: '{}', see: 'scenarios.md#custom-metrics',
    doc: "the custom metrics the scenario records, each with its kind: { login_ms: 'trend' }",
  },
  { name: 'extra', kind: 'custom', defaultDoc: '{}', doc: 'settings of your own scenario, read back as vu.options.extra' },
] as const satisfies OptionTable;

/** The keys a scenario's `options` may hold, in order. */
export const scenarioKeys = (table: OptionTable = OPTIONS): string[] => table.filter((r) => r.partOf === undefined).map((r) => r.name);

/** Where a row's value lands in `ResolvedOptions`. */
export function resolvedKey(row: OptionRow): string {
  return row.resolved ?? (row.kind === 'duration' ? `${row.name}Ms` : row.name);
}

/** The row of that name; a missing one is a mistake in the table. */
export function rowNamed(table: OptionTable, name: string): OptionRow {
  const row = table.find((r) => r.name === name);
  if (!row) throw new Error(`no option ${name} in the table`);
  return row;
}

/** `ping-interval` as yargs hands it over: `pingInterval`. */
export const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

// The table and the typed contract (lib/scenario/types.ts) agree, or this file does not compile:
// every key of ScenarioOptions has its row, every row its key, every generic row its field in ResolvedOptions.
type Row = (typeof OPTIONS)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type KeyOf<R> = R extends { resolved: infer K extends string } ? K : R extends { kind: 'duration'; name: infer N extends string } ? `${N}Ms` : R extends { name: infer N } ? N : never;
export type _EveryKeyHasItsRow = Assert<Same<Exclude<Row, { partOf: string }>['name'], keyof ScenarioOptions>>;
export type _EveryRowHasItsField = Assert<Same<Exclude<KeyOf<Exclude<Row, { partOf: string } | { kind: 'custom' }>>, keyof ResolvedOptions>, never>>;
type Group<R> = R extends { partOf: infer P extends string } ? P : R extends { name: infer N extends string } ? N : never;
/** The options whose custom rows a flag sets: each has its reader in runner/flags.ts (held to this type there). */
export type CustomFlagOption = Group<Extract<Row, { kind: 'custom'; flag: string }>>;
/** The options whose custom rows a k6 variable sets: each has its reader in lib/options/k6-env.ts. */
export type CustomEnvOption = Group<Extract<Row, { kind: 'custom'; k6Env: string }>>;
