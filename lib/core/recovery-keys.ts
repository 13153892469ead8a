/**
 * Names of the per-wave recovery metrics: counters and trends keyed by the run second the VU was
 * dropped in (`~recovery/<sec>/<what>`). They travel in the per-second interval snapshots like any
 * metric and are merged exactly; lib/results/waves.ts reads them back. The `~` prefix keeps them out of the
 * summary's custom metrics and every other output.
 */
export const RECOVERY_PREFIX = '~recovery/';

export type RecoveryWhat = 'downtime' | 'connecting' | 'attempts' | 'failed';

/** `~recovery/12/downtime`; failures carry their class: `~recovery/12/failed/ECONNREFUSED`. */
export function recoveryKey(dropSec: number, what: RecoveryWhat, cls?: string): string {
  return `${RECOVERY_PREFIX}${dropSec}/${what}${cls === undefined ? '' : `/${cls}`}`;
}

export interface ParsedRecoveryKey {
  dropSec: number;
  what: RecoveryWhat;
  cls?: string;
}

export function parseRecoveryKey(name: string): ParsedRecoveryKey | undefined {
  if (!name.startsWith(RECOVERY_PREFIX)) return undefined;
  const m = /^(\d+)\/(downtime|connecting|attempts|failed)(?:\/(.*))?$/s.exec(name.slice(RECOVERY_PREFIX.length));
  if (!m) return undefined;
  return { dropSec: Number(m[1]), what: m[2] as RecoveryWhat, ...(m[3] !== undefined ? { cls: m[3] } : {}) };
}

export const isInternalMetric = (name: string): boolean => name.startsWith(RECOVERY_PREFIX);
