import type { Stats } from '../core/latency-stats';

/** The summary's `disconnectWaves` entries (docs/architecture.md, "Public contracts"): pure types, so that thresholds (and the k6 bundle) need no HDR code. */

/** Seconds until a share of the dropped VUs was open again; null when that share never was. */
export interface RecoverySec {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface DisconnectWave {
  /** First second of the run (0-based) in which the wave dropped connections. */
  atSec: number;
  /** Last second whose drops belong to the wave. */
  endSec: number;
  /** Connections open just before the wave. */
  openBefore: number;
  /** Connections the other side closed during the wave, and by class. */
  dropped: number;
  classes: Record<string, number>;
  /** With reconnect on: the dropped VUs that were open again by the end of the run. */
  recovered?: number;
  /** Per VU from its own drop to its reconnect's open, seconds; the share counts over `dropped`. */
  recoverySec?: RecoverySec;
  /** Reconnect attempts of the dropped VUs until they were open again, and those that failed (by class). */
  attempts?: number;
  failures?: number;
  failureClasses?: Record<string, number>;
  /** Connect latency of the reconnects that opened (the usual stats; null with none). */
  reconnectLatencyMs?: Stats;
}
