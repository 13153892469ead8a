import { ConfigError } from '../scenario/config-error';
import { waveAggregate } from './wave-aggregate';
import type { DisconnectWave } from './wave-types';

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
  /** Set when the threshold could not be judged (its path named no field of the final summary): it then fails. */
  note?: string;
}

/** How a threshold's result is shown (text and HTML alike): ✓ held, ✗ crossed or not judged, – no data. */
export function shownResult(r: ThresholdResult): { mark: '✓' | '✗' | '–'; text: string } {
  if (r.note !== undefined) return { mark: '✗', text: `not judged: ${r.note}` };
  if (r.value === null) return { mark: '–', text: 'no data' };
  return { mark: r.ok ? '✓' : '✗', text: String(r.value) };
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

/** The value at the first `end` steps of `path`; undefined when a step is not an object. */
function walk(obj: unknown, path: string[], end = path.length): unknown {
  let cur: unknown = obj;
  for (let i = 0; i < end; i++) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[path[i] as string];
  }
  return cur;
}

/** Reads a numeric field of the summary; undefined when the path names nothing numeric. */
export function readPath(obj: unknown, path: string[]): number | null | undefined {
  const cur = walk(obj, path);
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

/**
 * The value a threshold judges, or null for "no data": a statistic of a trend that recorded
 * nothing (`connectLatencyMs.p99` when no connection opened reads 0 in the summary, which would
 * pass `< 100` for the wrong reason), a success rate with no attempt, a pong rate with no ping.
 */
export function thresholdValue(summary: unknown, path: string[]): number | null | undefined {
  summary = judgedView(summary);
  const v = readPath(summary, path);
  if (v === undefined || v === null || path.length < 2) return v;
  const parent = readParent(summary, path);
  const last = path[path.length - 1];
  if (last !== 'count' && typeof parent?.count === 'number' && parent.count === 0) return null;
  if (last === 'successRate' && parent?.attempted === 0) return null;
  return v;
}

function readParent(obj: unknown, path: string[]): Record<string, unknown> | undefined {
  const cur = walk(obj, path, path.length - 1);
  return typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>) : undefined;
}

function unknownField(t: Threshold): ConfigError {
  return new ConfigError(`threshold ${JSON.stringify(t.expr)}: ${t.path.join('.')} is not a numeric field of the summary (e.g. connectLatencyMs.p99, connections.successRate, heartbeat.pongRate, disconnectWaves.max.recovery99Sec)`);
}

/**
 * Evaluates thresholds against a summary. "No data" (value null) does not fail: nothing was measured
 * that could cross it. A path that names no field fails, with a note: the run is over, and its
 * results are written whatever a threshold says (the paths were checked before the run; this is
 * what a merge of older segments, or an open-ended `messages.` path, can still meet).
 */
export function evaluate(summary: unknown, thresholds: Threshold[]): Record<string, ThresholdResult> {
  const out: Record<string, ThresholdResult> = {};
  for (const t of thresholds) {
    const v = thresholdValue(summary, t.path);
    if (v === undefined) out[t.expr] = { ok: false, value: null, note: `${t.path.join('.')} is not a numeric field of the summary` };
    else out[t.expr] = { ok: v === null ? true : compare(v, t.op, t.value), value: v };
  }
  return out;
}

/** Fails before the run on a path that can never name a field: each must be in `shape`, a summary. */
export function checkPaths(shape: unknown, thresholds: Threshold[]): void {
  const view = judgedView(shape);
  for (const t of thresholds) if (readPath(view, t.path) === undefined) throw unknownField(t);
}

/**
 * The summary as thresholds see it: the list `disconnectWaves` reads as its aggregate
 * (`disconnectWaves.count`, `disconnectWaves.max.recovery99Sec`, ... of lib/results/waves.ts).
 */
function judgedView(summary: unknown): unknown {
  const waves = (summary as { disconnectWaves?: unknown } | null)?.disconnectWaves;
  if (!Array.isArray(waves)) return summary;
  return { ...(summary as object), disconnectWaves: waveAggregate(waves as DisconnectWave[]) };
}

/** The first `abortOnFail` threshold the live summary crosses; fields without data yet never do. */
export function liveBreach(summary: unknown, thresholds: Threshold[]): { threshold: Threshold; value: number } | undefined {
  for (const t of thresholds) {
    if (!t.abortOnFail) continue;
    const v = thresholdValue(summary, t.path);
    if (typeof v === 'number' && !compare(v, t.op, t.value)) return { threshold: t, value: v };
  }
  return undefined;
}
