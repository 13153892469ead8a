import type { MetricsSnapshot } from '../lib/metrics/registry';
import type { ClientTransport } from '../lib/node/client-settings';
import type { WorkerSample } from '../lib/results/record';
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
      client: ClientTransport;
    }
  /** Wall-clock epoch ms at which the run's clock reads 0 (common to all workers). */
  | { t: 'go'; startAtWall: number }
  | { t: 'stop' };

/** Self-measurements of a worker over one second: its sample in the second's record (lib/results/record.ts). */
export type Diagnostics = Omit<WorkerSample, 'worker'>;

/** Worker → coordinator. */
export type FromWorker =
  | { t: 'ready'; plannedStarts: number; baseRssBytes: number }
  | {
      t: 'tick';
      /** Second index on the run's clock (0 = first second). */
      sec: number;
      /** Everything recorded in the second, recorded once (the coordinator folds the totals). */
      interval: MetricsSnapshot;
      open: number;
      peak: number;
      diag: Diagnostics;
    }
  | { t: 'done'; open: number; peak: number; final: number; maxRssBytes: number; measuredEndWall: number }
  | { t: 'fatal'; message: string };
