import fs from 'node:fs';
import { redactText } from '../lib/core/redact';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import { M } from '../lib/core/metric-names';
import type { SecondRow } from '../lib/results/timeseries';

/** k6's JSON output lines (`k6 run --out json=FILE`): a metric is declared once, before its first point. */
export type K6Line =
  | { type: 'Metric'; metric: string; data: { name: string; type: K6MetricType; contains: 'default' | 'time'; thresholds: string[]; submetrics: null } }
  | { type: 'Point'; metric: string; data: { time: string; value: number; tags: Record<string, string> } };

export type K6MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** Our per-second figures as k6 metrics; names are the shared ones of lib/core/metric-names.ts where one exists. */
const METRICS: Record<string, { type: K6MetricType; contains: 'default' | 'time' }> = {
  ws_connections_open: { type: 'gauge', contains: 'default' },
  [M.sessions]: { type: 'counter', contains: 'default' },
  [M.connectErrors]: { type: 'counter', contains: 'default' },
  [M.disconnects]: { type: 'counter', contains: 'default' },
  [M.connecting]: { type: 'trend', contains: 'time' },
  [M.pings]: { type: 'counter', contains: 'default' },
  [M.pongs]: { type: 'counter', contains: 'default' },
  [M.pongRate]: { type: 'rate', contains: 'default' },
  [M.ping]: { type: 'trend', contains: 'time' },
  [M.msgsSent]: { type: 'counter', contains: 'default' },
  [M.msgsReceived]: { type: 'counter', contains: 'default' },
  [M.msgLatency]: { type: 'trend', contains: 'time' },
};

/**
 * The points of one second. Aggregated, not one point per sample: a counter's point is its
 * increase in the second (their sum is the run's total, as in k6); a trend gets two points, the
 * second's p50 and p99, tagged `agg`; the pong rate's point is pongs / pings of the second. Points
 * of a figure that saw nothing in the second are left out. Pure.
 */
export function k6Points(row: SecondRow, tags: Record<string, string>): Array<[string, number, Record<string, string>]> {
  const out: Array<[string, number, Record<string, string>]> = [];
  // a percentile of a second without samples is no point at all, never a 0
  const add = (metric: string, value: number | null, extra: Record<string, string> = {}): void => {
    if (value !== null) out.push([metric, value, { ...tags, ...extra }]);
  };
  add('ws_connections_open', row.open);
  if (row.connects > 0) add(M.sessions, row.connects);
  if (row.failures > 0) add(M.connectErrors, row.failures);
  if (row.disconnects > 0) add(M.disconnects, row.disconnects);
  if (row.connects > 0) {
    add(M.connecting, row.connectP50, { agg: 'p50' });
    add(M.connecting, row.connectP99, { agg: 'p99' });
  }
  if (row.pings > 0) {
    add(M.pings, row.pings);
    add(M.pongRate, Math.min(1, row.pongs / row.pings));
  }
  if (row.pongs > 0) {
    add(M.pongs, row.pongs);
    add(M.ping, row.rttP99, { agg: 'p99' });
  }
  if (row.msgsSent > 0) add(M.msgsSent, row.msgsSent);
  if (row.msgsReceived > 0) add(M.msgsReceived, row.msgsReceived);
  if (row.msgLatencyP99 !== null) {
    add(M.msgLatency, row.msgLatencyP50, { agg: 'p50' });
    add(M.msgLatency, row.msgLatencyP99, { agg: 'p99' });
  }
  return out;
}

/** Parses `--out json=FILE` (k6's syntax); json is the one output type. */
export function parseOut(spec: string | string[] | undefined): string | undefined {
  if (spec === undefined) return undefined;
  if (Array.isArray(spec)) {
    if (spec.length > 1) throw new ConfigError(`--out may be given once (got ${spec.length}: ${spec.join(', ')})`);
    return parseOut(spec[0]);
  }
  const m = /^json=(.+)$/.exec(spec);
  if (!m) throw new ConfigError(`--out must be json=FILE, e.g. --out json=results.ndjson (got ${JSON.stringify(spec)})`);
  return m[1];
}

/** Streams k6-style NDJSON while the run goes, one batch of points per second. */
export class K6JsonOut {
  private readonly declared = new Set<string>();
  private readonly fd: number;

  constructor(readonly file: string, private readonly tags: Record<string, string>) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.fd = fs.openSync(file, 'w');
    } catch (err) {
      throw new ConfigError(`--out json=${file}: cannot write it: ${(err as Error).message}`);
    }
  }

  second(row: SecondRow): void {
    const lines: K6Line[] = [];
    for (const [metric, value, tags] of k6Points(row, this.tags)) {
      if (!this.declared.has(metric)) {
        this.declared.add(metric);
        const m = METRICS[metric] as (typeof METRICS)[string];
        lines.push({ type: 'Metric', metric, data: { name: metric, type: m.type, contains: m.contains, thresholds: [], submetrics: null } });
      }
      lines.push({ type: 'Point', metric, data: { time: row.time, value, tags } });
    }
    // written synchronously: a second's points reach the file before the next second
    if (lines.length > 0) fs.writeSync(this.fd, redactText(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
