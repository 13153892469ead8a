import type { Recorder } from '../core/recorder';
import { M } from '../core/metric-names';
import { Registry } from '../metrics/registry';

/**
 * Where a worker's sockets record (the Node engine's Recorder): the cumulative registry (the exact
 * final summary) and the interval registry of the current second (the time series), plus the
 * open-connection gauge.
 */
export class Meter implements Recorder {
  readonly total = new Registry();
  readonly interval = new Registry();
  open = 0;
  peak = 0;

  add(name: string, value = 1): void {
    this.total.add(name, value);
    this.interval.add(name, value);
  }

  rate(name: string, ok: boolean): void {
    this.total.rate(name, ok);
    this.interval.rate(name, ok);
  }

  trend(name: string, ms: number): void {
    this.total.trend(name, ms);
    this.interval.trend(name, ms);
  }

  error(kind: string): void {
    this.total.error(kind);
    this.interval.error(kind);
  }

  connectError(kind: string): void {
    this.add(M.connectErrors);
    this.error(kind);
  }

  disconnect(kind: string): void {
    this.add(M.disconnects);
    this.total.disconnect(kind);
    this.interval.disconnect(kind);
  }

  opened(): void {
    if (++this.open > this.peak) this.peak = this.open;
  }

  closed(): void {
    this.open--;
  }
}
