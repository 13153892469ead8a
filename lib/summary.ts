import type { LatencyStats } from './metrics/histogram';
import { M } from './metric-names';
import { MetricsSnapshot, statsOf } from './metrics/registry';
import { MessagesSummary, messagesSummary } from './message-summary';
import { Health, healthOf } from './report/health';

/** Per-worker self-measurements (how busy the load generator itself was). */
export interface WorkerDiagnostics {
  index: number;
  vus: number;
  cpuPctMax: number;
  cpuPctAvg: number;
  loopDelayP99MsMax: number;
  scheduleLagMs: LatencyStats;
  maxRssMb: number;
  /** (peak RSS − RSS before any VU) / peak open connections of the worker, KB. */
  rssPerConnKb: number;
  died?: string;
}

/** The summary JSON of DESIGN.md: field names are a public contract. */
export interface Summary {
  scenario: string;
  target: string;
  mode: string;
  startedAt: string;
  /** Start to the last measurement (schedule, then in-flight attempts and pings drained). */
  durationSec: number;
  /** Closing every connection cleanly after that (close handshakes), seconds; not part of durationSec. */
  closeSec: number;
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
    /** New attempts made by `reconnect` after a drop (they are in `attempted` too). */
    reconnects: number;
    /** Sends refused because a connection held over 1 MiB unsent (the server stopped reading). */
    sendBufferFull: number;
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
  /** IM messages (lib/message-summary.ts): sent, received, lost, latencyMs, and delivery details. */
  messages: MessagesSummary;
  vus: { started: number; failed: number };
  /** Custom metrics recorded by the scenario (counters, trends as stats, rates as fractions). */
  metrics: Record<string, number | LatencyStats>;
  runner: { workers: WorkerDiagnostics[]; warnings: string[] };
  thresholds: Record<string, { ok: boolean; value: number | null }>;
  /** The seed's health grades (guide §6.2) of success rate, connect P50/P99 and pong rate. */
  health?: Health;
  /** Set when an `abortOnFail` threshold stopped the run: which, when (second of the run), at what value. */
  abortedByThreshold?: { threshold: string; atSec: number; value: number };
}

export interface SummaryInput {
  scenario: string;
  target: string;
  mode: string;
  startedAt: Date;
  durationSec: number;
  closeSec?: number;
  interrupted: boolean;
  totals: MetricsSnapshot;
  peak: number;
  final: number;
  workers: WorkerDiagnostics[];
  warnings: string[];
}

const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;

export { statsOf };

const BUILTIN = new Set<string>(Object.values(M));

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
  const summary: Summary = {
    scenario: i.scenario,
    target: i.target,
    mode: i.mode,
    startedAt: i.startedAt.toISOString(),
    durationSec: Math.round(i.durationSec * 100) / 100,
    closeSec: Math.round((i.closeSec ?? 0) * 100) / 100,
    interrupted: i.interrupted,
    connections: {
      attempted,
      succeeded,
      failed,
      aborted: c(M.connectAborted),
      successRate: attempted ? round4(succeeded / attempted) : 0,
      disconnected: c(M.disconnects),
      final: i.final,
      peak: i.peak,
      errors: { ...i.totals.errors },
      disconnectReasons: { ...i.totals.disconnects },
      reconnects: c(M.reconnects),
      sendBufferFull: c(M.sendBufferFull),
    },
    connectLatencyMs: statsOf(i.totals, M.connecting),
    heartbeat: {
      pingsSent: c(M.pings),
      pongsReceived: c(M.pongs),
      pongRate: pong && pong.total ? round4(pong.passes / pong.total) : null,
      unresolved: c(M.pingsUnresolved),
      rttMs: statsOf(i.totals, M.ping),
    },
    messages: messagesSummary(i.totals),
    vus: { started: c(M.vusStarted), failed: c(M.vusFailed) },
    metrics,
    runner: { workers: i.workers, warnings: i.warnings },
    thresholds: {},
  };
  summary.health = healthOf(summary);
  return summary;
}
