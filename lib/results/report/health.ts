/**
 * The summary figures the grades read (a structural subset of `Summary`, declared here so that the
 * summary can grade itself without an import cycle).
 */
export interface GradedFigures {
  connections: { attempted: number; successRate: number | null };
  connectLatencyMs: { count: number; p50: number | null; p99: number | null };
  heartbeat: { pongRate: number | null };
}

/** The seed's four grades (docs/architecture.md, "The seed tool"), best first. */
export type Grade = 'excellent' | 'good' | 'needs work' | 'abnormal';
export const GRADES: readonly Grade[] = ['excellent', 'good', 'needs work', 'abnormal'];

/** The seed's Chinese names of the grades. */
export const GRADE_ZH: Record<Grade, string> = { excellent: '优秀', good: '良好', 'needs work': '需优化', abnormal: '异常' };

/** The figures the seed grades. */
export type HealthFigure = 'successRate' | 'connectP50' | 'connectP99' | 'pongRate';

/**
 * Grades of a run; null where the figure was not observed (no attempts, no connection
 * succeeded, no ping sent). `overall` is the worst of the graded figures.
 */
export type Health = Record<HealthFigure | 'overall', Grade | null>;

/**
 * The seed's table (§6.2): rates are fractions (≥ bounds), latencies milliseconds (< bounds).
 * | figure       | excellent | good  | needs work | abnormal |
 * | success rate | ≥ 99.9%   | ≥ 99% | ≥ 95%      | < 95%    |
 * | P50          | < 5 ms    | < 20  | < 50       | ≥ 50     |
 * | P99          | < 50 ms   | < 100 | < 200      | ≥ 200    |
 * | pong rate    | ≥ 99.9%   | ≥ 99% | ≥ 95%      | < 95%    |
 */
export const HEALTH_TABLE: Record<HealthFigure, { higherIsBetter: boolean; bounds: [number, number, number] }> = {
  successRate: { higherIsBetter: true, bounds: [0.999, 0.99, 0.95] },
  connectP50: { higherIsBetter: false, bounds: [5, 20, 50] },
  connectP99: { higherIsBetter: false, bounds: [50, 100, 200] },
  pongRate: { higherIsBetter: true, bounds: [0.999, 0.99, 0.95] },
};

/** The grade of one figure. Pure. */
export function gradeOf(figure: HealthFigure, value: number): Grade {
  const { higherIsBetter, bounds } = HEALTH_TABLE[figure];
  const i = bounds.findIndex((b) => (higherIsBetter ? value >= b : value < b));
  return GRADES[i < 0 ? 3 : i] as Grade;
}

/** The figure's value in a summary, or null when nothing was observed. */
export function healthValue(s: GradedFigures, figure: HealthFigure): number | null {
  switch (figure) {
    case 'successRate': return s.connections.attempted > 0 ? s.connections.successRate : null;
    case 'connectP50': return s.connectLatencyMs.count > 0 ? s.connectLatencyMs.p50 : null;
    case 'connectP99': return s.connectLatencyMs.count > 0 ? s.connectLatencyMs.p99 : null;
    case 'pongRate': return s.heartbeat.pongRate;
  }
}

/** Grades a run. Pure. */
export function healthOf(s: GradedFigures): Health {
  const grade = (f: HealthFigure): Grade | null => {
    const v = healthValue(s, f);
    return v === null ? null : gradeOf(f, v);
  };
  const h = { successRate: grade('successRate'), connectP50: grade('connectP50'), connectP99: grade('connectP99'), pongRate: grade('pongRate') };
  const worst = Object.values(h).reduce<number>((w, g) => (g === null ? w : Math.max(w, GRADES.indexOf(g))), -1);
  return { ...h, overall: worst < 0 ? null : (GRADES[worst] as Grade) };
}

/** A grade as printed beside its figure: `[excellent]`, `[优秀]`. */
export function gradeLabel(g: Grade | null, lang: 'en' | 'zh'): string {
  if (g === null) return '';
  return `[${lang === 'zh' ? GRADE_ZH[g] : g}]`;
}
