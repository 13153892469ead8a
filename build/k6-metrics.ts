import esbuild from 'esbuild';
import { ConfigError } from '../lib/scenario/config-error';
import { K6_OWN, MetricDecl, MetricKind } from '../lib/k6/names';
import { M } from '../lib/core/metric-names';
import type { Socket, VuContext, VuFunction } from '../lib/scenario/types';

/**
 * Which metrics a k6 bundle declares, and k6's rules for their names. k6 creates custom metrics
 * only in the init context, so the build must know them all beforehand: the literal names of the
 * code the scenario can reach, and the names it computes at VU setup (the probe).
 */

/** k6's rule for a metric name (k6: metrics/registry.go nameRegexString, checked by NewMetric). */
export const K6_METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

/**
 * Every metric k6 registers itself, with its type (k6: metrics/builtin.go RegisterBuiltinMetrics).
 * A custom metric of the same name and type is merged into the built-in by NewMetric (so its
 * samples would count twice with k6's own); another type is an error at init. Gauges are listed
 * for completeness: wsbench never declares one.
 */
export const K6_BUILTIN_METRICS: Record<string, 'counter' | 'trend' | 'rate' | 'gauge'> = {
  vus: 'gauge', vus_max: 'gauge', iterations: 'counter', iteration_duration: 'trend', dropped_iterations: 'counter',
  checks: 'rate', group_duration: 'trend',
  http_reqs: 'counter', http_req_failed: 'rate', http_req_duration: 'trend', http_req_blocked: 'trend',
  http_req_connecting: 'trend', http_req_tls_handshaking: 'trend', http_req_sending: 'trend', http_req_waiting: 'trend',
  http_req_receiving: 'trend',
  ws_sessions: 'counter', ws_msgs_sent: 'counter', ws_msgs_received: 'counter', ws_ping: 'trend',
  ws_session_duration: 'trend', ws_connecting: 'trend',
  grpc_req_duration: 'trend', data_sent: 'counter', data_received: 'counter',
};

/**
 * Metrics of K6_OWN that only the scenario API records (lib/helpers/messages.ts, lib/helpers/reconnect.ts through
 * vu.trend / vu.counter): declared only when the scenario's code reaches them. The rest of K6_OWN
 * is recorded by lib/k6 itself in every bundle.
 */
const VIA_SCENARIO_API = new Set<string>([M.msgLatency, M.reconnects]);

const CALL = /\.\s*(counter|trend|rate)\s*\(\s*(?:(['"`])([^'"`]*)\2|M\d*\.(\w+))\s*[,)]/g;

/**
 * Metric names a source names literally: `vu.trend('x')`, `vu.counter(M.imSent)` (esbuild may
 * rename `M` to `M2` when bundling). Finds the ones created lazily (inside listeners), which the
 * probe cannot see.
 */
export function scanMetricCalls(source: string): MetricDecl[] {
  const out: MetricDecl[] = [];
  const names = M as Record<string, string>;
  for (const m of source.matchAll(CALL)) {
    // a template literal with `${...}` is a computed name: the probe sees it, the scan cannot
    if (m[2] === '`' && (m[3] ?? '').includes('${')) continue;
    const name = m[3] ?? (m[4] !== undefined ? names[m[4]] : undefined);
    if (name !== undefined) out.push({ name, kind: m[1] as MetricKind });
  }
  return out;
}

/**
 * The scenario bundled alone with tree shaking: only the code its exports can reach. Scanning
 * this, not every file esbuild visited, keeps lib/helpers/messages.ts's im_* out of a connect-only bundle.
 */
export async function reachableSource(abs: string, base: esbuild.BuildOptions): Promise<string> {
  const r = await esbuild.build({ ...base, entryPoints: [abs], write: false, outfile: 'reachable.js', treeShaking: true, minify: false, sourcemap: false });
  return r.outputFiles.map((f) => f.text).join('\n');
}

/** A socket that never connects: what the probe hands the VU function. */
class ProbeSocket implements Socket {
  readonly readyState = 0;
  addEventListener(): void {}
  send(): void {}
  ping(): void {}
  close(): void {}
}

/**
 * Runs the VU function once at build time with an inert context (no sockets, timers never fire) and
 * records the metrics it asks for: names computed at VU setup (`new Requests(vu, s, { trend })`).
 */
export function probeMetrics(vu: VuFunction, options: VuContext['options']): MetricDecl[] {
  const found: MetricDecl[] = [];
  const record = (name: string, kind: MetricKind): { add(): void } => {
    if (typeof name === 'string' && name !== '') found.push({ name, kind });
    return { add: () => undefined };
  };
  const ctx: VuContext = {
    id: 0,
    options,
    connect: () => new ProbeSocket(),
    setInterval: () => undefined,
    setTimeout: () => undefined,
    clearTimer: () => undefined,
    now: () => 0,
    wallNow: () => 0,
    counter: (name) => record(name, 'counter'),
    trend: (name) => record(name, 'trend'),
    rate: (name) => record(name, 'rate'),
  };
  try {
    const r = vu(ctx);
    if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).catch(() => undefined);
  } catch {
    // the scenario's own error shows when it runs; the static scan still covers its literal names
  }
  return found;
}

/** One line for a name k6 would refuse at init, or would merge into its own metric; undefined when fine. */
export function metricNameProblem(d: MetricDecl): string | undefined {
  const builtin = K6_BUILTIN_METRICS[d.name];
  if (builtin === d.kind) {
    return `metric "${d.name}" is k6's own ${builtin}: k6 merges a custom ${d.kind} of that name into it, so its samples would count twice (k6 metrics/registry.go NewMetric); pick another name`;
  }
  if (builtin !== undefined) {
    return `metric "${d.name}" is k6's own ${builtin}: k6 refuses a ${d.kind} of that name at init (k6 metrics/registry.go NewMetric); pick another name`;
  }
  if (!K6_METRIC_NAME.test(d.name)) {
    return `metric "${d.name}" is not a valid k6 metric name: k6 requires ${K6_METRIC_NAME.source} (letters, digits and _, 2 to 129 characters) and refuses it at init with "Invalid metric name"`;
  }
  return undefined;
}

/**
 * The metrics a bundle declares: lib/k6's own, then the scenario's reachable ones. Every name the
 * scenario records is checked against k6's rules first: one line naming the file, the name and the rule.
 */
export function bundleMetrics(file: string, found: MetricDecl[]): { declared: MetricDecl[]; recorded: MetricDecl[] } {
  for (const d of found) {
    const problem = metricNameProblem(d);
    if (problem) throw new ConfigError(`cannot build ${file} for k6: ${problem}`);
  }
  const out = new Map<string, MetricKind>();
  for (const d of [...K6_OWN.filter((o) => !VIA_SCENARIO_API.has(o.name)), ...found]) {
    const had = out.get(d.name);
    if (had !== undefined && had !== d.kind) {
      throw new ConfigError(`cannot build ${file} for k6: metric "${d.name}" is used both as a ${had} and as a ${d.kind}; k6 needs one type per name (k6 metrics/registry.go NewMetric)`);
    }
    out.set(d.name, d.kind);
  }
  const declared = [...out].map(([name, kind]) => ({ name, kind }));
  return { declared, recorded: declared.filter((d) => found.some((f) => f.name === d.name)) };
}
