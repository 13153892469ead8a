import { ConfigError } from './duration';

/** A pass/fail criterion on a summary field: `connectLatencyMs.p99 < 100`. */
export interface Threshold {
  expr: string;
  path: string[];
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number;
  /** Stop the run as soon as a live value crosses it (k6's abortOnFail). */
  abortOnFail: boolean;
}

export interface ThresholdResult {
  ok: boolean;
  /** The observed value; null when there was nothing to measure (e.g. no pings sent). */
  value: number | null;
}

/** The seed tool's goals: success rate ≥ 99%, P99 connect latency < 100 ms, pong rate ≥ 99%. */
export const DEFAULT_THRESHOLDS = ['connections.successRate >= 0.99', 'connectLatencyMs.p99 < 100', 'heartbeat.pongRate >= 0.99'];

const FORM = /^\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)(%)?\s*(?:,\s*(abortOnFail))?\s*$/;

/**
 * Parses `path op number[%][, abortOnFail]`. Paths are summary JSON fields (`connections.successRate`,
 * `heartbeat.rttMs.p95`, `metrics.my_trend.p99`); a `%` divides by 100 (`successRate >= 99%`).
 */
export function parseThreshold(expr: string): Threshold {
  const m = FORM.exec(expr);
  if (!m) {
    throw new ConfigError(`threshold ${JSON.stringify(expr)} must read like "connectLatencyMs.p99 < 100" or "connections.successRate >= 99%" (field op number)`);
  }
  const value = Number(m[3]) / (m[4] ? 100 : 1);
  return { expr: expr.trim(), path: (m[1] as string).split('.'), op: m[2] as Threshold['op'], value, abortOnFail: m[5] !== undefined };
}

/** Reads a numeric field of the summary; undefined when the path names nothing numeric. */
export function readPath(obj: unknown, path: string[]): number | null | undefined {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === null) return null;
  return typeof cur === 'number' ? cur : undefined;
}

export function compare(a: number, op: Threshold['op'], b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

/** Evaluates thresholds against a summary; a path that names no field is an error that lists it. */
export function evaluate(summary: unknown, thresholds: Threshold[]): Record<string, ThresholdResult> {
  const out: Record<string, ThresholdResult> = {};
  for (const t of thresholds) {
    const v = readPath(summary, t.path);
    if (v === undefined) {
      throw new ConfigError(`threshold ${JSON.stringify(t.expr)}: ${t.path.join('.')} is not a numeric field of the summary (e.g. connectLatencyMs.p99, connections.successRate, heartbeat.pongRate)`);
    }
    out[t.expr] = { ok: v === null ? true : compare(v, t.op, t.value), value: v };
  }
  return out;
}
