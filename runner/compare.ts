import type { Summary } from '../lib/results/summary';
import { readResultsDir } from './report-command';

type Leaf = number | string | boolean | null;

/**
 * Every figure of a summary as `path → value`, in the summary's own order: numbers, rates,
 * failure classes, custom metrics, health grades. Per-worker diagnostics and thresholds are left
 * out (workers differ in number between runs; thresholds are compared on their own). Pure.
 */
export function figuresOf(s: Summary): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const walk = (v: unknown, at: string): void => {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out.set(at, v);
    else if (typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  const { thresholds: _t, runner, scenario: _s, target: _g, startedAt: _a, ...rest } = s;
  walk(rest, '');
  out.set('runner.workers', runner.workers.length);
  return out;
}

const num = (v: number): string => String(Number(v.toFixed(4)));

/** The change from a to b, absolute and in % of a; empty where not numeric on both sides. */
export function change(a: Leaf | undefined, b: Leaf | undefined): [string, string] {
  if (typeof a !== 'number' || typeof b !== 'number') return a === b ? ['', ''] : ['changed', ''];
  const d = b - a;
  const sign = d > 0 ? '+' : '';
  const abs = `${sign}${num(d)}`;
  if (a === 0) return [abs, d === 0 ? '0.0%' : 'n/a'];
  return [abs, `${sign}${((d / Math.abs(a)) * 100).toFixed(1)}%`];
}

const show = (v: Leaf | undefined): string => (v === undefined ? '-' : v === null ? 'n/a' : typeof v === 'number' ? num(v) : String(v));

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd());
}

/** Two runs side by side: every figure of A and B with its change; `from` names where each came from. Pure. */
export function compareSummaries(a: Summary, b: Summary, from: { a: string; b: string } = { a: '', b: '' }): string {
  const fa = figuresOf(a);
  const fb = figuresOf(b);
  const keys = [...fa.keys(), ...[...fb.keys()].filter((k) => !fa.has(k))];
  const rows = [['figure', 'A', 'B', 'change', 'change %']];
  for (const k of keys) rows.push([k, show(fa.get(k)), show(fb.get(k)), ...change(fa.get(k), fb.get(k))]);
  const out = [
    `A: ${from.a}  scenario ${a.scenario}  target ${a.target}  started ${a.startedAt}`.replace('A:  ', 'A: '),
    `B: ${from.b}  scenario ${b.scenario}  target ${b.target}  started ${b.startedAt}`.replace('B:  ', 'B: '),
    '',
    ...table(rows),
  ];
  const exprs = [...Object.keys(a.thresholds), ...Object.keys(b.thresholds).filter((k) => !(k in a.thresholds))];
  if (exprs.length > 0) {
    const mark = (r: { ok: boolean; value: number | null } | undefined): string =>
      r === undefined ? '-' : `${r.value === null ? '–' : r.ok ? '✓' : '✗'} ${r.value === null ? 'no data' : num(r.value)}`;
    out.push('', ...table([['threshold', 'A', 'B'], ...exprs.map((e) => [e, mark(a.thresholds[e]), mark(b.thresholds[e])])]));
  }
  return out.join('\n');
}

/** `runner compare <dirA> <dirB>`. */
export function compareCommand(dirA: string, dirB: string, out: NodeJS.WritableStream = process.stdout): number {
  const a = readResultsDir(dirA);
  const b = readResultsDir(dirB);
  out.write(`${compareSummaries(a.summary, b.summary, { a: dirA, b: dirB })}\n`);
  return 0;
}
