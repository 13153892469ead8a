import { ChartSpec, chartsOf, EmptyChart } from '../../lib/results/report/charts';
import type { SecondRow } from '../../lib/results/timeseries';

type Chart = ChartSpec | EmptyChart;

/** What one page needs for the new second: charts to draw anew, and columns to append to the others. */
export interface ChartUpdate {
  replace: Chart[];
  append: Array<{ id: string; x: number[]; values: Array<Array<number | null>> }>;
}

/** A page's view: the shape (empty, or series labels) of each chart and how many seconds it holds. */
export interface PageCharts {
  shapes: Map<string, string>;
  seconds: number;
}

const shapeOf = (c: Chart): string => ('empty' in c ? `empty:${c.empty}` : c.series.map((s) => `${s.label}/${s.scale}`).join('|'));

/**
 * The charts of report.html, kept live: the rows of timeseries.ndjson so far go through the
 * report's own chartsOf(), so the live page can never draw something the report would not. A
 * page gets everything once, then per second only the new columns, or a whole chart when its
 * shape changed (the first ping turns "no pings" into a chart).
 */
export class ChartStream {
  private readonly rows: SecondRow[] = [];
  private specs: Chart[] | undefined;

  add(row: SecondRow): void {
    this.rows.push(row);
    this.specs = undefined;
  }

  /** Every chart, for a page that just opened; `page` records what it now holds. */
  full(page: PageCharts): Chart[] {
    const specs = this.current();
    page.shapes = new Map(specs.map((c) => [c.id, shapeOf(c)]));
    page.seconds = this.rows.length;
    return specs;
  }

  /** What `page` lacks; undefined when it is up to date. */
  update(page: PageCharts): ChartUpdate | undefined {
    if (page.seconds === this.rows.length) return undefined;
    const out: ChartUpdate = { replace: [], append: [] };
    for (const c of this.current()) {
      const shape = shapeOf(c);
      if (page.shapes.get(c.id) !== shape || page.seconds > this.rows.length) {
        out.replace.push(c);
        page.shapes.set(c.id, shape);
      } else if (!('empty' in c)) {
        out.append.push({ id: c.id, x: c.x.slice(page.seconds), values: c.series.map((s) => s.values.slice(page.seconds)) });
      }
    }
    page.seconds = this.rows.length;
    return out;
  }

  private current(): Chart[] {
    // computed once per second at most, and only when a page is open
    return (this.specs ??= chartsOf(this.rows));
  }
}
