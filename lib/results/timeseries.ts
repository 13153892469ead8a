import { decodeHistogram, percentileMs } from '../metrics/histogram';
import { M } from '../core/metric-names';
import { isEmptyEncoding, MetricsSnapshot } from '../metrics/registry';
import type { SecondRecord } from './record';
import { trendCount } from './waves';

/** One line of `timeseries.ndjson`: one second of the run, derived from its record (lib/results/record.ts). */
export interface SecondRow {
  sec: number;
  /** Wall-clock start of the second, ISO 8601. */
  time: string;
  open: number;
  connects: number;
  failures: number;
  disconnects: number;
  /** Reconnect attempts, and dropped VUs open again (lib/helpers/reconnect.ts), in the second (absent in older results). */
  reconnects?: number;
  recovered?: number;
  /** Arriving VUs started, and departed after their lifetime, in the second: only in runs with arrive stages (docs/arrivals.md). */
  arrivals?: number;
  departures?: number;
  pings: number;
  pongs: number;
  /** Percentiles of the second; null when the second had no sample (never a fake 0). */
  connectP50: number | null;
  connectP99: number | null;
  rttP99: number | null;
  msgsSent: number;
  msgsReceived: number;
  msgLatencyP50: number | null;
  msgLatencyP99: number | null;
  /** Runner CPU over all workers, % of one core; and the busiest worker's. */
  cpuPct: number;
  cpuPctMax: number;
  /** The whole machine's CPU, % of all cores: near 100 the load generator and target compete for CPU. */
  machineCpuPct: number;
  /** Worst worker's event-loop delay p99 in the second, ms. */
  loopDelayMs: number;
  rssMb: number;
}

/** p50 and p99 of one trend of the second (decoded once); nulls when it had no sample. */
function p50p99(snap: MetricsSnapshot, name: string): [number | null, number | null] {
  const enc = snap.trends[name];
  if (!enc || isEmptyEncoding(enc)) return [null, null];
  const h = decodeHistogram(enc);
  const out: [number | null, number | null] = h.totalCount === 0 ? [null, null] : [percentileMs(h, 50), percentileMs(h, 99)];
  h.destroy();
  return out;
}

/** The row of one per-second record (lib/results/record.ts). Pure. */
export function rowOf(r: SecondRecord): SecondRow {
  const m = r.interval;
  const c = (k: string): number => m.counters[k] ?? 0;
  const [connectP50, connectP99] = p50p99(m, M.connecting);
  const [msgLatencyP50, msgLatencyP99] = p50p99(m, M.msgLatency);
  const w = r.workers;
  return {
    sec: r.sec,
    time: new Date(r.wall).toISOString(),
    open: r.open,
    connects: c(M.sessions),
    failures: c(M.connectErrors),
    disconnects: c(M.disconnects),
    reconnects: c(M.reconnects),
    recovered: trendCount(m, M.reconnectDowntime),
    ...(M.vusArrived in m.counters || M.vusDeparted in m.counters ? { arrivals: c(M.vusArrived), departures: c(M.vusDeparted) } : {}),
    pings: c(M.pings),
    pongs: c(M.pongs),
    connectP50,
    connectP99,
    rttP99: p50p99(m, M.ping)[1],
    msgsSent: c(M.msgsSent),
    msgsReceived: c(M.msgsReceived),
    msgLatencyP50,
    msgLatencyP99,
    cpuPct: w.reduce((n, x) => n + x.cpuPct, 0),
    cpuPctMax: w.reduce((n, x) => Math.max(n, x.cpuPct), 0),
    machineCpuPct: w.reduce((n, x) => Math.max(n, x.machineCpuPct), 0),
    loopDelayMs: w.reduce((n, x) => Math.max(n, x.loopP99Ms), 0),
    rssMb: Math.round(w.reduce((n, x) => n + x.rssBytes, 0) / 1_048_576),
  };
}
