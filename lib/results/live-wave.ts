import { waveSpans } from './waves';

/** A wave as live progress shows it while its VUs come back. */
export interface LiveWave {
  atSec: number;
  dropped: number;
  /** Dropped VUs open again since the wave began (reconnect on). */
  recovered: number;
}

interface Row {
  sec: number;
  open: number;
  disconnects: number;
  recovered?: number;
}

/**
 * Follows the per-second rows of a running test and tells which disconnect wave is recovering, by
 * the rule of lib/results/waves.ts (the final summary's figures come from the exact per-second snapshots).
 */
export class LiveWaveTracker {
  private recent: Row[] = [];
  private wave: LiveWave | undefined;

  /** The wave still recovering after this second, if any. */
  feed(row: Row): LiveWave | undefined {
    this.recent.push(row);
    if (this.recent.length > 4) this.recent.shift();
    const spans = waveSpans(this.recent);
    const last = spans[spans.length - 1];
    if (last && (!this.wave || last.atSec > this.wave.atSec)) {
      this.wave = { atSec: last.atSec, dropped: last.dropped, recovered: 0 };
      for (const r of this.recent) if (r.sec >= last.atSec) this.wave.recovered += r.recovered ?? 0;
    } else if (this.wave) {
      if (last && last.atSec === this.wave.atSec) this.wave.dropped = last.dropped;
      this.wave.recovered += row.recovered ?? 0;
    }
    if (this.wave && this.wave.recovered >= this.wave.dropped) this.wave = undefined;
    return this.wave ? { ...this.wave } : undefined;
  }
}

/** `wave@20s 2000 dropped, 1500 back (75%)`. */
export function liveWaveText(w: LiveWave): string {
  return `wave@${w.atSec}s ${w.dropped} dropped, ${w.recovered} back (${Math.floor((w.recovered / w.dropped) * 100)}%)`;
}
