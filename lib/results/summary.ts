import type { LatencyStats } from '../metrics/histogram';
import { M } from '../core/metric-names';
import { MetricsSnapshot, statsOf } from '../metrics/registry';
import { customMetrics, Declared } from './custom-metrics';
import { MessagesSummary, messagesSummary } from './message-summary';
import { BytesSummary, bytesSummary, SlowReadersSummary, slowReadersSummary } from './flow-summary';
import type { ArrivalsSummary } from './arrivals-summary';
import { Health, healthOf } from './report/health';
import { redactUrl } from '../core/redact';
import { Stats, summaryStats } from './stats';
import { detectWaves, DisconnectWave, WaveSecond } from './waves';

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

/** The summary JSON (docs/architecture.md, "Public contracts"): field names are a public contract. */
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
    /** Null when nothing was attempted. */
    successRate: number | null;
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
  /** Null figures (count 0) when no connection opened. */
  connectLatencyMs: Stats;
  heartbeat: {
    pingsSent: number;
    pongsReceived: number;
    /** Answered share of pings; null when no ping was sent (nothing observed). */
    pongRate: number | null;
    /** Pings still waiting when an interrupted run stopped: neither answered nor lost. */
    unresolved: number;
    rttMs: Stats;
  };
  /** IM messages (lib/results/message-summary.ts): sent, received, lost, latencyMs, and delivery details. */
  messages: MessagesSummary;
  /** Payload and wire bytes, and their ratio (lib/results/flow-summary.ts); null figures on k6. */
  bytes: BytesSummary;
  /** The slow and stalled readers' own connections and delivery latency (lib/results/flow-summary.ts). */
  slowReaders: SlowReadersSummary;
  vus: { started: number; failed: number };
  /** The open model's figures (docs/arrivals.md, lib/results/arrivals-summary.ts); absent without an arrive stage. */
  arrivals?: ArrivalsSummary;
  /** Custom metrics recorded by the scenario (counters, trends as stats, rates as fractions). */
  metrics: Record<string, number | null | Stats>;
  runner: { workers: WorkerDiagnostics[]; warnings: string[] };
  /** `note`: why a threshold could not be judged (it then fails). */
  thresholds: Record<string, { ok: boolean; value: number | null; note?: string }>;
  /** Disconnect waves (docs/architecture.md, "Public contracts", lib/results/waves.ts): drops of >= 5% of the open connections (>= 100) within 2 s, and their recovery. */
  disconnectWaves: DisconnectWave[];
  /** The seed's health grades (docs/architecture.md, "The seed tool") of success rate, connect P50/P99 and pong rate. */
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
  /** Per-second interval snapshots for the disconnect waves; none: no waves are looked for. */
  seconds?: WaveSecond[];
  /** Reconnect was on: waves get their recovery. */
  reconnecting?: boolean;
  /** The scenario's `options.metrics`: each is in `metrics` from the start (lib/results/custom-metrics.ts); none: only what was recorded. */
  declared?: Declared;
}

const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;

export { statsOf };

/** Builds the summary from the exact merge of every worker's totals. Pure. */
export function buildSummary(i: SummaryInput): Summary {
  const c = (name: string): number => i.totals.counters[name] ?? 0;
  const attempted = c(M.attempts);
  const succeeded = c(M.sessions);
  const failed = c(M.connectErrors);
  const pong = i.totals.rates[M.pongRate];
  const custom = customMetrics(i.totals, i.declared);
  const summary: Summary = {
    scenario: i.scenario,
    target: redactUrl(i.target), // no userinfo or credential in any output (lib/core/redact.ts)
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
      successRate: attempted ? round4(succeeded / attempted) : null,
      disconnected: c(M.disconnects),
      final: i.final,
      peak: i.peak,
      errors: { ...i.totals.errors },
      disconnectReasons: { ...i.totals.disconnects },
      reconnects: c(M.reconnects),
      sendBufferFull: c(M.sendBufferFull),
    },
    connectLatencyMs: summaryStats(i.totals, M.connecting),
    heartbeat: {
      pingsSent: c(M.pings),
      pongsReceived: c(M.pongs),
      pongRate: pong && pong.total ? round4(pong.passes / pong.total) : null,
      unresolved: c(M.pingsUnresolved),
      rttMs: summaryStats(i.totals, M.ping),
    },
    messages: messagesSummary(i.totals),
    bytes: bytesSummary(i.totals),
    slowReaders: slowReadersSummary(i.totals),
    vus: { started: c(M.vusStarted), failed: c(M.vusFailed) },
    metrics: custom.metrics,
    runner: { workers: i.workers, warnings: [...i.warnings, ...custom.warnings] },
    thresholds: {},
    disconnectWaves: i.seconds ? detectWaves(i.seconds, i.reconnecting ?? false) : [],
  };
  summary.health = healthOf(summary);
  return summary;
}
