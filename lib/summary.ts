import { createHistogram, decodeHistogram, LatencyStats, latencyStats } from './metrics/histogram';
import { M } from './metrics/names';
import type { MetricsSnapshot } from './metrics/registry';

/** Per-worker self-measurements (how busy the load generator itself was). */
export interface WorkerDiagnostics {
  index: number;
  vus: number;
  cpuPctMax: number;
  cpuPctAvg: number;
  loopDelayP99MsMax: number;
  scheduleLagMs: LatencyStats;
  maxRssMb: number;
  died?: string;
}

/** The summary JSON of DESIGN.md: field names are a public contract. */
export interface Summary {
  scenario: string;
  target: string;
  mode: string;
  startedAt: string;
  durationSec: number;
  interrupted: boolean;
  connections: {
    attempted: number;
    succeeded: number;
    failed: number;
    /** Attempts still in flight when the run was cut short (interrupts only). */
    aborted: number;
    successRate: number;
    disconnected: number;
    final: number;
    peak: number;
    errors: Record<string, number>;
    disconnectReasons: Record<string, number>;
  };
  connectLatencyMs: LatencyStats;
  heartbeat: {
    pingsSent: number;
    pongsReceived: number;
    /** Answered share of pings; null when no ping was sent (nothing observed). */
    pongRate: number | null;
    /** Pings still waiting when an interrupted run stopped: neither answered nor lost. */
    unresolved: number;
    rttMs: LatencyStats;
  };
  messages: {
    sent: number;
    received: number;
    lost: number;
    latencyMs: LatencyStats;
    [key: string]: unknown;
  };
  vus: { started: number; failed: number };
  /** Custom metrics recorded by the scenario (counters, trends as stats, rates as fractions). */
  metrics: Record<string, number | LatencyStats>;
  runner: { workers: WorkerDiagnostics[]; warnings: string[] };
  thresholds: Record<string, { ok: boolean; value: number | null }>;
}

export interface SummaryInput {
  scenario: string;
  target: string;
  mode: string;
  startedAt: Date;
  durationSec: number;
  interrupted: boolean;
  totals: MetricsSnapshot;
  peak: number;
  final: number;
  workers: WorkerDiagnostics[];
  warnings: string[];
}

const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;

export function statsOf(snap: MetricsSnapshot, name: string): LatencyStats {
  const enc = snap.trends[name];
  const h = enc ? decodeHistogram(enc) : undefined;
  const s = latencyStats(h ?? createHistogram());
  h?.destroy();
  return s;
}

const BUILTIN = new Set<string>([...Object.values(M), 'ws_connect_aborted', 'ws_pings_unresolved', 'vu_callback_errors']);

/** Builds the summary from the exact merge of every worker's totals. Pure. */
export function buildSummary(i: SummaryInput): Summary {
  const c = (name: string): number => i.totals.counters[name] ?? 0;
  const attempted = c(M.attempts);
  const succeeded = c(M.sessions);
  const failed = c(M.connectErrors);
  const pong = i.totals.rates[M.pongRate];
  const metrics: Summary['metrics'] = {};
  for (const [k, v] of Object.entries(i.totals.counters)) if (!BUILTIN.has(k)) metrics[k] = v;
  for (const k of Object.keys(i.totals.trends)) if (!BUILTIN.has(k)) metrics[k] = statsOf(i.totals, k);
  for (const [k, r] of Object.entries(i.totals.rates)) if (!BUILTIN.has(k)) metrics[k] = r.total ? round4(r.passes / r.total) : 0;
  return {
    scenario: i.scenario,
    target: i.target,
    mode: i.mode,
    startedAt: i.startedAt.toISOString(),
    durationSec: Math.round(i.durationSec * 100) / 100,
    interrupted: i.interrupted,
    connections: {
      attempted,
      succeeded,
      failed,
      aborted: c('ws_connect_aborted'),
      successRate: attempted ? round4(succeeded / attempted) : 0,
      disconnected: c(M.disconnects),
      final: i.final,
      peak: i.peak,
      errors: { ...i.totals.errors },
      disconnectReasons: { ...i.totals.disconnects },
    },
    connectLatencyMs: statsOf(i.totals, M.connecting),
    heartbeat: {
      pingsSent: c(M.pings),
      pongsReceived: c(M.pongs),
      pongRate: pong && pong.total ? round4(pong.passes / pong.total) : null,
      unresolved: c('ws_pings_unresolved'),
      rttMs: statsOf(i.totals, M.ping),
    },
    messages: {
      sent: c(M.msgsSent),
      received: c(M.msgsReceived),
      lost: 0,
      latencyMs: statsOf(i.totals, M.msgLatency),
    },
    vus: { started: c(M.vusStarted), failed: c(M.vusFailed) },
    metrics,
    runner: { workers: i.workers, warnings: i.warnings },
    thresholds: {},
  };
}
