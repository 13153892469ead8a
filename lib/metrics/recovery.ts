import type { RecoveryEvent } from '../core/run-clock';
import { createHistogram, encodeHistogram, Histogram, mergeEncoded, recordMs } from './histogram';

/**
 * The recovery of reconnecting VUs, booked by the run second they were dropped in (lib/core/run-clock.ts):
 * a field of every per-second snapshot, merged exactly like the rest, read back by lib/results/waves.ts.
 */
export interface RecoverySnapshot {
  /** Per VU back up: drop to open again, and the connect latency of the retry that opened (HDR, µs). */
  downtime: string;
  connecting: string;
  /** Retries made, and those that failed by class. */
  attempts: number;
  failed: Record<string, number>;
}

interface Entry {
  downtime: Histogram;
  connecting: Histogram;
  attempts: number;
  failed: Map<string, number>;
}

/** One second's recovery events, by drop second. */
export class RecoveryBook {
  private readonly byDrop = new Map<number, Entry>();

  record(e: RecoveryEvent): void {
    let x = this.byDrop.get(e.dropSec);
    if (!x) this.byDrop.set(e.dropSec, (x = { downtime: createHistogram(), connecting: createHistogram(), attempts: 0, failed: new Map() }));
    if (e.what === 'attempt') x.attempts++;
    else if (e.what === 'failed') x.failed.set(e.cls, (x.failed.get(e.cls) ?? 0) + 1);
    else recordMs(x[e.what], e.ms);
  }

  /** Undefined when nothing was booked: most seconds carry no recovery at all. */
  snapshot(): Record<string, RecoverySnapshot> | undefined {
    if (this.byDrop.size === 0) return undefined;
    const out: Record<string, RecoverySnapshot> = {};
    for (const [sec, x] of this.byDrop) {
      out[sec] = { downtime: encodeHistogram(x.downtime), connecting: encodeHistogram(x.connecting), attempts: x.attempts, failed: Object.fromEntries(x.failed) };
    }
    return out;
  }

  reset(): void {
    for (const x of this.byDrop.values()) {
      x.downtime.destroy();
      x.connecting.destroy();
    }
    this.byDrop.clear();
  }
}

/** Exact merge of several snapshots' recovery fields: histograms added, counts summed. */
export function mergeRecovery(parts: Array<Record<string, RecoverySnapshot> | undefined>): Record<string, RecoverySnapshot> | undefined {
  const by = new Map<string, RecoverySnapshot[]>();
  for (const p of parts) for (const [sec, r] of Object.entries(p ?? {})) by.set(sec, [...(by.get(sec) ?? []), r]);
  if (by.size === 0) return undefined;
  const out: Record<string, RecoverySnapshot> = {};
  for (const [sec, list] of by) {
    const failed: Record<string, number> = {};
    for (const r of list) for (const [k, n] of Object.entries(r.failed)) failed[k] = (failed[k] ?? 0) + n;
    out[sec] = {
      downtime: list.length === 1 ? (list[0] as RecoverySnapshot).downtime : reencode(list.map((r) => r.downtime)),
      connecting: list.length === 1 ? (list[0] as RecoverySnapshot).connecting : reencode(list.map((r) => r.connecting)),
      attempts: list.reduce((n, r) => n + r.attempts, 0),
      failed,
    };
  }
  return out;
}

function reencode(parts: string[]): string {
  const h = mergeEncoded(parts);
  const enc = encodeHistogram(h);
  h.destroy();
  return enc;
}
