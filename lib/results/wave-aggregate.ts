import type { DisconnectWave } from './wave-types';

/**
 * The waves as thresholds see them (`disconnectWaves.max.recovery99Sec`). Apart from lib/results/waves.ts
 * so that thresholds, which the k6 bundle uses too, pull in no HDR code. Pure.
 */

/** Figures of the waves that thresholds can reach as `disconnectWaves.max.<field>` (and `.count`). */
export interface WaveAggregate {
  count: number;
  max: {
    dropped: number | null;
    recovered: number | null;
    recovery50Sec: number | null;
    recovery90Sec: number | null;
    recovery99Sec: number | null;
    attempts: number | null;
    failures: number | null;
    reconnectLatencyP99Ms: number | null;
  };
}

/**
 * The worst of every wave; a recovery share never reached counts as infinitely long (a threshold on
 * it fails), and no wave at all is "no data" (null).
 */
export function waveAggregate(waves: DisconnectWave[]): WaveAggregate {
  const max = (f: (w: DisconnectWave) => number | null | undefined, neverIsInfinite = false): number | null => {
    let out: number | null = null;
    for (const w of waves) {
      if (w.recovered === undefined && f !== dropped) continue;
      let v = f(w);
      if (v === null && neverIsInfinite) v = Infinity;
      if (typeof v === 'number') out = out === null ? v : Math.max(out, v);
    }
    return out;
  };
  const dropped = (w: DisconnectWave): number => w.dropped;
  return {
    count: waves.length,
    max: {
      dropped: max(dropped),
      recovered: max((w) => w.recovered),
      recovery50Sec: max((w) => w.recoverySec?.p50, true),
      recovery90Sec: max((w) => w.recoverySec?.p90, true),
      recovery99Sec: max((w) => w.recoverySec?.p99, true),
      attempts: max((w) => w.attempts),
      failures: max((w) => w.failures),
      reconnectLatencyP99Ms: max((w) => w.reconnectLatencyMs?.p99),
    },
  };
}
