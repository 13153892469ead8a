/**
 * The run's clock as a worker process keeps it, and where a reconnecting VU reports its recovery:
 * each recovery event is booked under the run second the VU was dropped in, so that a disconnect
 * wave found in the per-second records is matched exactly with the reconnects of the VUs it dropped
 * (lib/results/waves.ts reads them from the `recovery` field of the records, lib/metrics/registry.ts).
 *
 * Kept on globalThis under a registered symbol because the scenario bundle carries its own copy of
 * lib/: a module variable set by the worker would not be the one the bundled reconnect code reads.
 * Unset on k6 and outside a worker: recovery per wave is then simply not recorded.
 */

/** One recovery event of a VU dropped in run second `dropSec`. */
export type RecoveryEvent =
  | { dropSec: number; what: 'downtime' | 'connecting'; ms: number }
  | { dropSec: number; what: 'attempt' }
  | { dropSec: number; what: 'failed'; cls: string };

export interface RunClock {
  /** The second of the run's clock being recorded now (0 = the first). */
  sec: number;
  recovery(e: RecoveryEvent): void;
}

// the symbol is looked up at each call, not when the module loads: a k6 VU that never reconnects then
// never makes the Symbol global (bench/README.md "Cost per VU on k6")
const key = (): symbol => Symbol.for('wsbench.runClock');
type Holder = Record<symbol, RunClock | undefined>;

export function setRunClock(clock: RunClock | undefined): void {
  (globalThis as unknown as Holder)[key()] = clock;
}

export function runClock(): RunClock | undefined {
  return (globalThis as unknown as Holder)[key()];
}
