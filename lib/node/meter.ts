import type { Recorder } from '../core/recorder';
import type { RecoveryEvent } from '../core/run-clock';
import { M } from '../core/metric-names';
import { Registry } from '../metrics/registry';

/**
 * Where a worker's sockets record (the Node engine's Recorder): each value once, into the registry
 * of the current second, which the worker sends and resets every second (runner/worker.ts); the
 * coordinator folds the totals from those seconds (runner/accounting.ts). Plus the open-connection gauge.
 */
export class Meter implements Recorder {
  readonly second = new Registry();
  open = 0;
  peak = 0;

  add(name: string, value = 1): void {
    this.second.add(name, value);
  }

  rate(name: string, ok: boolean): void {
    this.second.rate(name, ok);
  }

  trend(name: string, ms: number): void {
    this.second.trend(name, ms);
  }

  error(kind: string): void {
    this.second.error(kind);
  }

  connectError(kind: string): void {
    this.second.add(M.connectErrors);
    this.second.error(kind);
  }

  disconnect(kind: string): void {
    this.second.add(M.disconnects);
    this.second.disconnect(kind);
  }

  /** A reconnecting VU's recovery event (lib/core/run-clock.ts). */
  recovery(e: RecoveryEvent): void {
    this.second.recovery(e);
  }

  opened(): void {
    if (++this.open > this.peak) this.peak = this.open;
  }

  closed(): void {
    this.open--;
  }
}
