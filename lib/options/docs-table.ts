import { OPTIONS, OptionRow, OptionTable } from './table';

/**
 * The docs' option tables, generated from lib/options/table.ts: the options of docs/scenarios.md
 * (one line per option: default, flags, k6 variables) and the flags of one option (docs/failures.md's
 * reconnect flags). Each sits between its markers; test/option-table.unit.test.ts holds the pages to them.
 */

/** The markers around a generated table: `<!-- generated (lib/options/docs-table.ts): options -->` ... */
export const markers = (id: string): [string, string] => [`<!-- generated (lib/options/docs-table.ts): ${id} -->`, `<!-- /generated: ${id} -->`];

const code = (s: string): string => `\`${s}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|');
const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const wrap = (id: string, lines: string[]): string => [markers(id)[0], ...lines, markers(id)[1]].join('\n');

function defaultCell(row: OptionRow): string {
  const d = row.default;
  if (row.defaultDoc !== undefined) return row.defaultDoc === '{}' ? code('{}') : row.defaultDoc;
  if (typeof d === 'object') return `as ${code(d.from)}`;
  if (d === undefined) return 'none';
  return code(typeof d === 'string' ? `'${d}'` : String(d));
}

function meaning(row: OptionRow): string {
  const page = row.see?.split('#')[0];
  return row.see ? `${row.doc} ([${page}](${row.see}))` : row.doc;
}

/** Every option of a scenario: `optionsMarkdown()` is docs/scenarios.md's table. */
export function optionsMarkdown(table: OptionTable = OPTIONS): string {
  const lines = ['| option | default | flag | k6 | meaning |', '|---|---|---|---|---|'];
  for (const row of table.filter((r) => r.partOf === undefined)) {
    const family = [row, ...table.filter((r) => r.partOf === row.name)];
    const flags = family.flatMap((r) => (r.flag ? [code(`--${r.flag}`)] : []));
    const envs = family.flatMap((r) => (r.k6Env ? [code(`-e ${r.k6Env}`)] : []));
    lines.push(line([code(row.name), defaultCell(row), flags.join(' '), envs.join(' '), meaning(row)]));
  }
  return wrap('options', lines);
}

/** The flags and k6 variables of one option and of its parts: `flagsMarkdown('reconnect')` is docs/failures.md's. */
export function flagsMarkdown(option: string, table: OptionTable = OPTIONS): string {
  const lines = ['| flag | k6 bundle | default | meaning |', '|---|---|---|---|'];
  for (const row of table.filter((r) => r.name === option || r.partOf === option)) {
    const [flag, env] = [row.flag ? code(`--${row.flag}`) : '', row.k6Env ? code(`-e ${row.k6Env}`) : ''];
    lines.push(line([flag, env, row.defaultDoc ?? defaultCell(row), row.doc]));
  }
  return wrap(`${option}-flags`, lines);
}
