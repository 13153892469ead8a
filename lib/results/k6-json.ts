import { ConfigError } from '../scenario/config-error';

/**
 * The lines of k6's JSON output (`k6 run --out json=FILE`), read exactly as k6 writes them (the
 * format runner/out-json.ts writes too, K6Line): a `{"type":"Metric","metric":name,"data":{"type":...}}`
 * declaration before a metric's first sample, then `{"type":"Point","metric":name,"data":{"time",
 * "value","tags"}}` per sample, `time` in Go's RFC 3339 with nanoseconds. Pure.
 */

export type K6Kind = 'counter' | 'gauge' | 'rate' | 'trend';
const KINDS: readonly string[] = ['counter', 'gauge', 'rate', 'trend'];

/** One sample of k6's output: its metric and that metric's type, its time (epoch ms, sub-ms kept), value and tags. */
export interface K6Point {
  metric: string;
  kind: K6Kind;
  timeMs: number;
  value: number;
  tags: Record<string, string>;
}

const GO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** Go's time.Time in JSON (`2026-01-02T15:04:05.123456789+08:00`) as epoch ms with the sub-ms fraction; undefined if it is none. */
export function goTimeMs(text: unknown): number | undefined {
  const m = typeof text === 'string' ? GO_TIME.exec(text) : null;
  if (!m) return undefined;
  const whole = Date.parse(`${m[1] as string}${m[3] as string}`);
  return Number.isNaN(whole) ? undefined : whole + Number(`0.${m[2] ?? '0'}`) * 1000;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The gauge only wsbench's own `--out json` writes (runner/out-json.ts): its points are per-second aggregates, not samples. */
const WSBENCH_OPEN = 'ws_connections_open';

const NOT_K6 = 'is not a line of k6 run --out json=FILE (expected {"type":"Metric",...} or {"type":"Point",...})';

/** The lines of one k6 JSON output, in order: the metric types declared so far, and each line's sample. */
export class K6Json {
  readonly kinds = new Map<string, K6Kind>();

  /** One line (1-based `n`): a declaration gives undefined, a sample its point; anything else is one ConfigError naming the line. */
  line(text: string, n: number): K6Point | undefined {
    if (text.trim() === '') return undefined;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`line ${n} is not JSON (${(err as Error).message}); k6 run --out json=FILE writes one JSON object a line`);
    }
    if (!isObject(v) || typeof v.metric !== 'string' || !isObject(v.data)) throw new ConfigError(`line ${n} ${NOT_K6}`);
    const d = v.data;
    if (v.type === 'Metric') {
      if (typeof d.type !== 'string' || !KINDS.includes(d.type)) throw new ConfigError(`line ${n} declares metric ${v.metric} of unknown type ${JSON.stringify(d.type)}`);
      if (v.metric === WSBENCH_OPEN) throw new ConfigError(`line ${n} declares ${WSBENCH_OPEN}: this is wsbench's own --out json (per-second aggregates, not k6's samples); its run's results folder holds the exact figures`);
      this.kinds.set(v.metric, d.type as K6Kind);
      return undefined;
    }
    if (v.type !== 'Point') throw new ConfigError(`line ${n} ${NOT_K6}`);
    const kind = this.kinds.get(v.metric);
    if (!kind) throw new ConfigError(`line ${n}: a sample of ${v.metric} before its {"type":"Metric"} line (k6 declares each metric first): not k6's JSON output`);
    const timeMs = goTimeMs(d.time);
    if (timeMs === undefined) throw new ConfigError(`line ${n}: time ${JSON.stringify(d.time)} is no RFC 3339 timestamp`);
    if (typeof d.value !== 'number') throw new ConfigError(`line ${n}: value ${JSON.stringify(d.value)} is no number`);
    const tags: Record<string, string> = {};
    if (isObject(d.tags)) for (const [k, t] of Object.entries(d.tags)) if (typeof t === 'string') tags[k] = t;
    return { metric: v.metric, kind, timeMs, value: d.value, tags };
  }
}
