import { M } from '../core/metric-names';
import { emptySnapshot, Registry } from '../metrics/registry';
import type { K6Point } from './k6-json';
import { OpenTimeline } from './k6-open';
import type { SecondRecord } from './record';
import type { RunMeta } from './summarise';

/**
 * A k6 run's samples (`k6 run --out json`, lib/results/k6-json.ts) as wsbench's per-second records
 * (lib/results/record.ts) and run meta, so that `summarise()` derives its summary, disconnect waves,
 * time series and verdict as for a run of the Node runner (docs/k6.md, "wsbench's report for a k6
 * run"). Each sample goes into the registry of its second, counted in whole seconds from the
 * run's first sample. Pure.
 *
 * The names of lib/core/metric-names.ts `M` that the k6 bundle records itself (lib/k6/names.ts
 * k6Own) are the Node runner's; k6's own `k6/websockets` metrics map as follows:
 * - `ws_connecting` is stamped per dial, failed ones included: only dials that opened (tag
 *   `status` 101) are connect latency, and each opens a connection at its time plus its duration;
 * - `ws_session_duration` closes one (at its time), so open counts and the peak are rebuilt;
 * - k6's `ws_sessions` counts dials: the bundle's `ws_connect_success` passes are the sessions;
 * - `ws_ping`, `ws_msgs_sent`, `ws_msgs_received` keep their names; `iterations` (one call of the
 *   VU function each) are the VUs started.
 */

/** The k6 bundle's share of attempts that opened (lib/k6/names.ts CONNECT_SUCCESS). */
const CONNECT_SUCCESS = 'ws_connect_success';
const SESSION_DURATION = 'ws_session_duration';
const ITERATIONS = 'iterations';
/** k6's arrivals it had no free VU for (arrival-rate executors): `arrivals.dropped` (docs/arrivals.md). */
const DROPPED = 'dropped_iterations';

/** k6's own metrics that are no figure of the summary (build/k6-metrics.ts K6_BUILTIN_METRICS lists them all). */
const K6_ONLY = new Set(['ws_sessions', 'vus', 'vus_max', 'iteration_duration', 'dropped_iterations', 'checks', 'group_duration', 'data_sent', 'data_received', 'grpc_req_duration']);
const skipped = (p: K6Point): boolean => p.kind === 'gauge' || K6_ONLY.has(p.metric) || p.metric.startsWith('http_req');

export const REBUILT = 'rebuilt from k6 samples';

export interface K6Run {
  records: SecondRecord[];
  meta: RunMeta;
}

/** The samples of one k6 run, added one by one (any order) from the time of its first sample. */
export class K6Samples {
  private readonly seconds = new Map<number, Registry>();
  private readonly timeline = new OpenTimeline();
  private endMs: number;
  private target: string | undefined;
  private messaging = false;
  private reconnects = false;
  /** Dials with a status tag, and sessions the bundle saw open: none of the first with some of the second is k6 --system-tags without status. */
  private dialsTagged = 0;
  private sessions = 0;
  /** The open model's: arrivals the bundle started (vus_arrived) and k6 dropped; undefined: no arrival-rate scenario ran. */
  private arrivals: { arrived: number; dropped: number } | undefined;

  /** `startMs`: the time of the run's first sample (epoch ms), the start of its second 0. */
  constructor(private readonly startMs: number) {
    this.endMs = startMs;
  }

  add(p: K6Point): void {
    this.endMs = Math.max(this.endMs, p.timeMs);
    if (p.metric === DROPPED || p.metric === M.vusArrived) {
      this.arrivals ??= { arrived: 0, dropped: 0 };
      if (p.metric === DROPPED) this.arrivals.dropped += p.value;
      else this.arrivals.arrived += p.value;
    }
    if (skipped(p)) return;
    const reg = this.at(p.timeMs);
    const v = p.value;
    if (p.metric.startsWith('im_')) this.messaging = true;
    switch (p.metric) {
      case M.connecting:
        this.target ??= p.tags.url;
        if (p.tags.status !== undefined) this.dialsTagged++;
        if (p.tags.status !== '101') return;
        reg.trend(M.connecting, v);
        this.timeline.opened(p.timeMs + v);
        this.endMs = Math.max(this.endMs, p.timeMs + v);
        return;
      case SESSION_DURATION:
        this.timeline.closed(p.timeMs);
        return;
      case CONNECT_SUCCESS:
        if (v === 0) return;
        reg.add(M.sessions);
        this.sessions++;
        return;
      case ITERATIONS:
        reg.add(M.vusStarted, v);
        return;
      case M.connectErrors:
        reg.add(M.connectErrors, v);
        bump(reg.errors, p.tags.error ?? 'unknown', v);
        return;
      case M.disconnects:
        reg.add(M.disconnects, v);
        bump(reg.disconnects, p.tags.reason ?? 'unknown', v);
        return;
      case M.reconnects:
        this.reconnects = true;
    }
    if (p.kind === 'counter') reg.add(p.metric, v);
    else if (p.kind === 'rate') reg.rate(p.metric, v !== 0);
    else reg.trend(p.metric, v);
  }

  /** The run's records, one a second from its first sample to its last, and its meta. */
  result(scenario: string): K6Run {
    const count = Math.floor((this.endMs - this.startMs) / 1000) + 1;
    const { openAt, peak, final } = this.timeline.tally(this.startMs, count);
    const records: SecondRecord[] = openAt.map((open, sec) => ({
      sec,
      wall: this.startMs + sec * 1000,
      open,
      interval: this.seconds.get(sec)?.snapshot() ?? emptySnapshot(),
      workers: [],
    }));
    const meta: RunMeta = {
      scenario,
      target: this.target ?? '',
      mode: this.messaging ? 'messaging' : 'connect-only',
      startWall: this.startMs,
      measuredEndWall: this.endMs,
      endWall: this.endMs,
      interrupted: false,
      peak,
      final,
      workers: [],
      warnings: this.warnings(),
      reconnecting: false,
      adjustments: [],
    };
    // k6 started or dropped each arrival it was asked for; without the stages there is no Little window
    const a = this.arrivals;
    if (a) meta.arrivals = { planned: a.arrived + a.dropped, arriveSec: 0, windows: [], dropped: a.dropped };
    return { records, meta };
  }

  private at(timeMs: number): Registry {
    const sec = Math.max(0, Math.floor((timeMs - this.startMs) / 1000));
    let reg = this.seconds.get(sec);
    if (!reg) this.seconds.set(sec, (reg = new Registry()));
    return reg;
  }

  /** What the summary holds that k6's samples cannot give (docs/k6.md, "wsbench's report for a k6 run"). */
  private warnings(): string[] {
    const out = [
      `${REBUILT}: runner.workers and the time series' CPU, event-loop delay and memory are not in k6's output (k6 is one process and does not sample itself)`,
      `${REBUILT}: connections.final counts the connections k6 never reported closed; k6's output does not mark the end of the stages, where the k6 bundle closes its sockets`,
    ];
    if (this.arrivals) out.push(`${REBUILT}: arrivals.little and arrivals.arrivalsPerSec need the plan of the stages, which k6's output does not hold`);
    if (this.reconnects) out.push(`${REBUILT}: the recovery of disconnect waves is not in k6's output (the k6 bundle has no run clock)`);
    if (this.sessions > 0 && this.dialsTagged === 0) {
      out.push(`${REBUILT}: connectLatencyMs and open connections need the status tag of ws_connecting, which k6 --system-tags left out`);
    }
    return out;
  }
}

function bump(m: Map<string, number>, key: string, v: number): void {
  m.set(key, (m.get(key) ?? 0) + v);
}

/** Records and meta of a whole list of samples (any order). */
export function k6Run(points: K6Point[], scenario: string): K6Run {
  const start = points.reduce((m, p) => Math.min(m, p.timeMs), Infinity);
  const samples = new K6Samples(Number.isFinite(start) ? start : 0);
  for (const p of points) samples.add(p);
  return samples.result(scenario);
}
