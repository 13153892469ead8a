import type { Recorder } from '../core/recorder';
import type { RecoveryEvent } from '../core/run-clock';
import { M } from '../core/metric-names';
import { Registry } from '../metrics/registry';
import { Histogram, recordMs } from '../metrics/histogram';
import type { Counter, Rate, Trend } from '../scenario/types';

/**
 * One counter's sum within the current second, kept apart from the registry so that an add is one
 * field update (no map lookup): `vu.counter(name)` hands the cell itself to every VU. Folded into
 * the registry, in one add per second, whenever the registry is read (`Meter.second`).
 */
class CounterCell implements Counter {
  n = 0;
  touched = false;
  constructor(readonly name: string) {}
  add(value = 1): void {
    this.n += value;
    this.touched = true;
  }
}

/** A trend's recorder: the registry's histogram for the name, found once (the registry resets histograms in place, never drops them). */
class TrendHandle implements Trend {
  private h: Histogram | undefined;
  constructor(private readonly reg: Registry, private readonly name: string) {}
  add(ms: number): void {
    recordMs((this.h ??= this.reg.histogram(this.name)), ms);
  }
}

/**
 * Where a worker's sockets record (the Node engine's Recorder): each value once, into the registry
 * of the current second, which the worker sends and resets every second (runner/worker.ts); the
 * coordinator folds the totals from those seconds (runner/accounting.ts). Plus the open-connection gauge.
 * Counters, the values recorded most often (every message), are summed in cells first: the registry
 * read through `second` holds exactly what adding each value there would have given.
 */
export class Meter implements Recorder {
  private readonly reg = new Registry();
  private readonly cells = new Map<string, CounterCell>();
  private readonly trends = new Map<string, TrendHandle>();
  private readonly rates = new Map<string, Rate>();
  open = 0;
  peak = 0;

  /** This second's registry, with every counter's cell folded in. */
  get second(): Registry {
    for (const c of this.cells.values()) {
      if (!c.touched) continue;
      this.reg.add(c.name, c.n);
      c.n = 0;
      c.touched = false;
    }
    return this.reg;
  }

  /** The counter's cell, shared by every VU of the worker (a VU's `vu.counter(name)`). */
  counter(name: string): Counter {
    let c = this.cells.get(name);
    if (!c) this.cells.set(name, (c = new CounterCell(name)));
    return c;
  }

  /** The trend's recorder, shared by every VU of the worker (a VU's `vu.trend(name)`). */
  trendOf(name: string): Trend {
    let t = this.trends.get(name);
    if (!t) this.trends.set(name, (t = new TrendHandle(this.reg, name)));
    return t;
  }

  /** The rate's recorder, shared by every VU of the worker (a VU's `vu.rate(name)`). */
  rateOf(name: string): Rate {
    let r = this.rates.get(name);
    if (!r) this.rates.set(name, (r = { add: (ok: boolean) => this.reg.rate(name, ok) }));
    return r;
  }

  add(name: string, value = 1): void {
    (this.counter(name) as CounterCell).add(value);
  }

  rate(name: string, ok: boolean): void {
    this.reg.rate(name, ok);
  }

  trend(name: string, ms: number): void {
    this.reg.trend(name, ms);
  }

  error(kind: string): void {
    this.reg.error(kind);
  }

  connectError(kind: string): void {
    this.add(M.connectErrors);
    this.reg.error(kind);
  }

  disconnect(kind: string): void {
    this.add(M.disconnects);
    this.reg.disconnect(kind);
  }

  /** A reconnecting VU's recovery event (lib/core/run-clock.ts). */
  recovery(e: RecoveryEvent): void {
    this.reg.recovery(e);
  }

  opened(): void {
    if (++this.open > this.peak) this.peak = this.open;
  }

  closed(): void {
    this.open--;
  }
}
