import { Counter as K6Counter, Rate as K6Rate, Trend as K6Trend } from 'k6/metrics';
import type { Recorder } from '../core/recorder';
import { M } from '../core/metric-names';
import { CONNECT_LATENCY, CONNECT_SUCCESS, K6_BUILTIN, MetricKind } from './names';

type Tags = Record<string, string>;

/** A recorder of one k6 metric (the k6 classes, seen through what wsbench needs of them). */
interface K6Metric {
  add(value: number | boolean, tags?: Tags): void;
}

/**
 * The k6 metrics of a bundle, all created in the init context (k6 refuses `new Counter()` once VUs
 * run), looked up by name afterwards. As the k6 engine's Recorder (lib/core/recorder.ts) it skips
 * what `k6/websockets` records itself (K6_BUILTIN: ws_connecting, ws_sessions, ws_ping, ws_msgs_*),
 * records the connect latency of the attempts that opened as `ws_connect_latency` (lib/k6/names.ts),
 * and failure and disconnect classes as tags (`ws_connect_errors{error}`, `ws_disconnects{reason}`).
 */
export class K6Metrics implements Recorder {
  /** By name, without a prototype (a metric may be called `constructor`); their kinds apart. Plain objects: every VU makes them. */
  private readonly byName: Record<string, K6Metric> = Object.create(null) as Record<string, K6Metric>;
  private readonly kinds: Record<string, MetricKind> = Object.create(null) as Record<string, MetricKind>;

  constructor(decls: Record<string, MetricKind>) {
    for (const name in decls) {
      const kind = decls[name] as MetricKind;
      this.byName[name] = kind === 'counter' ? new K6Counter(name) : kind === 'rate' ? new K6Rate(name) : new K6Trend(name, true);
      this.kinds[name] = kind;
    }
  }

  /** The k6 metric `name` of `kind`; throws the line that says what is wrong with it (not declared, k6's own, another kind). */
  metric(name: string, kind: MetricKind): K6Metric {
    const m = this.byName[name];
    if (!m) {
      if (K6_BUILTIN[name] !== undefined) throw new Error(`metric ${name} is recorded by k6 itself; record yours under another name`);
      throw new Error(`metric ${name} is not declared: add ${name}: '${kind}' to the scenario's options.metrics and build again (k6 creates metrics only in its init context)`);
    }
    const k = this.kinds[name] as MetricKind;
    if (k !== kind) throw new Error(`metric ${name} is a ${k}, not a ${kind}`);
    return m;
  }

  add(name: string, value = 1, tags?: Tags): void {
    if (K6_BUILTIN[name] !== undefined) return;
    this.metric(name, 'counter').add(value, tags);
  }

  rate(name: string, ok: boolean, tags?: Tags): void {
    if (K6_BUILTIN[name] !== undefined) return;
    this.metric(name, 'rate').add(ok, tags);
  }

  trend(name: string, ms: number): void {
    if (name === M.connecting) name = CONNECT_LATENCY;
    else if (K6_BUILTIN[name] !== undefined) return;
    this.metric(name, 'trend').add(ms);
  }

  connectError(kind: string): void {
    this.add(M.connectErrors, 1, { error: kind });
    this.rate(CONNECT_SUCCESS, false);
  }

  disconnect(kind: string): void {
    this.add(M.disconnects, 1, { reason: kind });
  }

  /** k6 has no list of failure classes: a scenario error's text is in k6's log, its count in vus_failed. */
  error(): void {}

  opened(): void {
    this.rate(CONNECT_SUCCESS, true);
  }

  /** k6 keeps no open-connections gauge of ours (its ws_sessions and ws_session_duration tell). */
  closed(): void {}
}
