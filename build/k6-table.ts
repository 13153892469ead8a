import type esbuild from 'esbuild';
import path from 'node:path';
import * as table from '../lib/core/metric-names';

/**
 * The metric table (lib/core/metric-names.ts) as a k6 VU gets it: its exports evaluated here, at
 * build time, and written as literals. The module builds `M` and its other tables with loops when it
 * loads, and k6 evaluates a bundle once per VU, so every VU would build them again and keep the
 * whole table (about 55 row objects: bench/README.md "Cost per VU on k6"). As literals, esbuild
 * drops every export the VU's code does not read (only `M` and `K6_BUILTIN_METRICS` are left).
 * The same values, so no figure changes; the option code (lib/k6/prepare.ts, build/k6-lazy.ts)
 * keeps the module itself.
 */

/** The functions of the table, written over the literal rows with the same logic. */
const FUNCTIONS: Record<string, string> = {
  metricRow: 'export function metricRow(name) { return Object.prototype.hasOwnProperty.call(BY_NAME, name) ? BY_NAME[name] : undefined; }',
  metricRows: 'export function metricRows(pick) { return ROWS.filter(pick); }',
};

/** The module's source: every export of lib/core/metric-names.ts, its data as JSON. */
export function tableSource(): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(table)) {
    if (typeof value === 'function') {
      const fn = FUNCTIONS[name];
      // a new function of the table must be written here too: a build that cannot is refused
      if (fn === undefined) throw new Error(`build/k6-table.ts: lib/core/metric-names.ts exports the function ${name}, which the k6 build cannot write as data`);
      lines.push(fn);
    } else {
      lines.push(`export const ${name} = ${JSON.stringify(value)};`);
    }
  }
  const rows = Object.values(table.METRICS);
  lines.push(`const ROWS = ${JSON.stringify(rows)};`);
  lines.push(`const BY_NAME = ${JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r])))};`);
  return lines.join('\n');
}

/** Loads `tableSource()` in place of lib/core/metric-names.ts. */
export function tablePlugin(root: string): esbuild.Plugin {
  const file = path.join(root, 'lib', 'core', 'metric-names.ts');
  const source = tableSource();
  return {
    name: 'wsbench-k6-table',
    setup(b) {
      b.onLoad({ filter: /[\\/]lib[\\/]core[\\/]metric-names\.ts$/ }, (args) => (args.path === file ? { contents: source, loader: 'js' } : undefined));
    },
  };
}
