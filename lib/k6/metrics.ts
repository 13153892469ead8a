import { Counter as K6Counter, Rate as K6Rate, Trend as K6Trend } from 'k6/metrics';
import type { Counter, Rate, Trend } from '../types';
import { K6_BUILTIN, MetricDecl, MetricKind } from './names';

type Tags = Record<string, string>;

/** A recorder of one k6 metric (the k6 classes, seen through what wsbench needs of them). */
interface K6Metric {
  add(value: number | boolean, tags?: Tags): void;
}

/**
 * The k6 metrics of a bundle, all created in the init context (k6 refuses `new Counter()` once VUs
 * run), looked up by name afterwards.
 */
export class K6Metrics {
  private readonly byName = new Map<string, { kind: MetricKind; metric: K6Metric }>();

  constructor(decls: MetricDecl[]) {
    for (const d of decls) {
      const metric = d.kind === 'counter' ? new K6Counter(d.name) : d.kind === 'rate' ? new K6Rate(d.name) : new K6Trend(d.name, true);
      this.byName.set(d.name, { kind: d.kind, metric });
    }
  }

  private get(name: string, kind: MetricKind): K6Metric {
    const m = this.byName.get(name);
    if (!m) {
      if (K6_BUILTIN[name] !== undefined) throw new Error(`metric ${name} is recorded by k6 itself; record yours under another name`);
      throw new Error(`metric ${name} was not declared when the k6 bundle was built: name it with a string literal, e.g. vu.${kind}('${name}'), so the build can declare it in k6's init context`);
    }
    if (m.kind !== kind) throw new Error(`metric ${name} is a ${m.kind}, not a ${kind}`);
    return m.metric;
  }

  add(name: string, value = 1, tags?: Tags): void {
    this.get(name, 'counter').add(value, tags);
  }

  rate(name: string, ok: boolean, tags?: Tags): void {
    this.get(name, 'rate').add(ok, tags);
  }

  /** The scenario-facing recorders of `vu.counter()`, `vu.trend()`, `vu.rate()`. */
  counter(name: string): Counter {
    const m = this.get(name, 'counter');
    return { add: (v = 1) => m.add(v) };
  }

  trendOf(name: string): Trend {
    const m = this.get(name, 'trend');
    return { add: (ms: number) => m.add(ms) };
  }

  rateOf(name: string): Rate {
    const m = this.get(name, 'rate');
    return { add: (ok: boolean) => m.add(ok) };
  }
}
