/**
 * k6's metric registry, as the double's oracle (written from k6's source, independent of
 * build/k6-metrics.ts, so a mistake there shows here).
 */

export type MetricType = 'counter' | 'gauge' | 'trend' | 'rate';
export type ValueType = 'default' | 'time' | 'data';

/** k6: metrics/registry.go nameRegexString and badNameWarning. */
const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;
const BAD_NAME = 'Metric names should start with a letter or an underscore and only include up to 128 ASCII letters, numbers, or underscores.';

/** k6: metrics/builtin.go RegisterBuiltinMetrics (name, type, value type). */
const BUILTIN: Array<[string, MetricType, ValueType]> = [
  ['vus', 'gauge', 'default'], ['vus_max', 'gauge', 'default'], ['iterations', 'counter', 'default'],
  ['iteration_duration', 'trend', 'time'], ['dropped_iterations', 'counter', 'default'],
  ['checks', 'rate', 'default'], ['group_duration', 'trend', 'time'],
  ['http_reqs', 'counter', 'default'], ['http_req_failed', 'rate', 'default'], ['http_req_duration', 'trend', 'time'],
  ['http_req_blocked', 'trend', 'time'], ['http_req_connecting', 'trend', 'time'], ['http_req_tls_handshaking', 'trend', 'time'],
  ['http_req_sending', 'trend', 'time'], ['http_req_waiting', 'trend', 'time'], ['http_req_receiving', 'trend', 'time'],
  ['ws_sessions', 'counter', 'default'], ['ws_msgs_sent', 'counter', 'default'], ['ws_msgs_received', 'counter', 'default'],
  ['ws_ping', 'trend', 'time'], ['ws_session_duration', 'trend', 'time'], ['ws_connecting', 'trend', 'time'],
  ['grpc_req_duration', 'trend', 'time'], ['data_sent', 'counter', 'data'], ['data_received', 'counter', 'data'],
];

export interface Metric {
  name: string;
  type: MetricType;
  contains: ValueType;
  builtin: boolean;
}

export interface Sample {
  metric: string;
  type: MetricType;
  value: number;
  tags: Record<string, string>;
  /** The VU that recorded it (k6 tags samples with the VU only on request; the double keeps it for tests). */
  vu: number;
  /** Virtual time of the sample. */
  time: number;
}

/** One registry per test run, shared by every VU, as k6's (one per k6 process). */
export class Registry {
  private readonly metrics = new Map<string, Metric>();
  readonly samples: Sample[] = [];

  constructor() {
    for (const [name, type, contains] of BUILTIN) this.metrics.set(name, { name, type, contains, builtin: true });
  }

  /**
   * k6: metrics/registry.go NewMetric. A bad name is an error; a name already registered with the
   * same type and value type returns the existing metric (a custom `ws_sessions` Counter IS k6's
   * ws_sessions, so its samples add to k6's); another type or value type is an error.
   */
  newMetric(name: string, type: MetricType, contains: ValueType): Metric {
    if (!NAME.test(name)) throw new Error(`Invalid metric name: '${name}'. ${BAD_NAME}`);
    const old = this.metrics.get(name);
    if (!old) {
      const m: Metric = { name, type, contains, builtin: false };
      this.metrics.set(name, m);
      return m;
    }
    if (old.type !== type) throw new Error(`metric '${name}' already exists but with type ${old.type}, instead of ${type}`);
    if (old.contains !== contains) throw new Error(`metric '${name}' already exists but with a value type ${old.contains}, instead of ${contains}`);
    return old;
  }

  get(name: string): Metric | undefined {
    return this.metrics.get(name);
  }

  push(m: Metric, value: number, tags: Record<string, string>, vu: number, time: number): void {
    this.samples.push({ metric: m.name, type: m.type, value, tags: { ...tags }, vu, time });
  }

  of(metric: string, tags?: Record<string, string>): Sample[] {
    return this.samples.filter((s) => s.metric === metric && (!tags || Object.entries(tags).every(([k, v]) => s.tags[k] === v)));
  }

  /** A Counter's sum (k6: metrics/sink.go CounterSink). */
  count(metric: string, tags?: Record<string, string>): number {
    return this.of(metric, tags).reduce((n, s) => n + s.value, 0);
  }

  /**
   * A Trend's percentile as k6 computes it for thresholds and the summary: 0 when empty
   * (k6: metrics/sink.go TrendSink.P), the one value when there is one.
   */
  percentile(metric: string, p: number): number {
    const v = this.of(metric).map((s) => s.value).sort((a, b) => a - b);
    if (v.length === 0) return 0;
    if (v.length === 1) return v[0] as number;
    return v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)] as number;
  }
}
