import type { MetricsSnapshot } from '../lib/metrics/registry';
import type { Share } from '../lib/scenario/stages';
import type { ResolvedOptions } from '../lib/scenario/types';

/** Coordinator → worker. */
export type ToWorker =
  | {
      t: 'load';
      bundle: string;
      options: ResolvedOptions;
      share: Share;
      localAddresses: string[];
      tls: { insecure: boolean; ca?: string };
    }
  /** Wall-clock epoch ms at which the run's clock reads 0 (common to all workers). */
  | { t: 'go'; startAtWall: number }
  | { t: 'stop' };

/** Self-measurements of a worker over one second. */
export interface Diagnostics {
  /** CPU used in the second, as % of one core (user + system). */
  cpuPct: number;
  /** The whole machine's CPU in the second, % of all cores (runner, server and everything else). */
  machineCpuPct: number;
  /** Event-loop delay p99 and max of the second, ms. */
  loopP99Ms: number;
  loopMaxMs: number;
  rssBytes: number;
}

/** Worker → coordinator. */
export type FromWorker =
  | { t: 'ready'; plannedStarts: number; baseRssBytes: number }
  | {
      t: 'tick';
      /** Second index on the run's clock (0 = first second). */
      sec: number;
      interval: MetricsSnapshot;
      total: MetricsSnapshot;
      open: number;
      peak: number;
      diag: Diagnostics;
    }
  | { t: 'done'; total: MetricsSnapshot; open: number; peak: number; final: number; maxRssBytes: number; measuredEndWall: number }
  | { t: 'fatal'; message: string };
