/**
 * The second of the run's clock whose interval snapshot is being recorded, as the worker process
 * sees it (it sets it right after sending each second's snapshot). Recovery metrics are keyed by
 * the second a VU was dropped in, so that a disconnect wave found in the per-second data can be
 * matched exactly with the reconnects of the VUs it dropped (lib/results/waves.ts).
 *
 * Kept on globalThis under a registered symbol because the scenario bundle carries its own copy of
 * lib/: a module variable set by the worker would not be the one the bundled reconnect code reads.
 * Unset (undefined) on k6 and outside a worker: the keyed metrics are then simply not recorded.
 */
const KEY = Symbol.for('wsbench.runSecond');
type Holder = { [KEY]?: number };

export function setRunSecond(sec: number | undefined): void {
  (globalThis as Holder)[KEY] = sec;
}

export function runSecond(): number | undefined {
  return (globalThis as Holder)[KEY];
}
