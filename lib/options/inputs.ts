import { readValue } from './kinds';
import { camel, OptionRow, OptionTable } from './table';
import type { Overrides } from './options';

/**
 * A custom option's reader of what a flag or a variable gave: the raw values of its rows by row name
 * (only those given), and the label of each row (`--reconnect-initial`, `-e RECONNECT_INITIAL`).
 * Undefined keeps the scenario's.
 */
export type Reader = (raw: Readonly<Record<string, unknown>>, label: (name: string) => string) => unknown;

/** Where values come from: the row's value in that source (undefined: not given), and its label. */
export interface Source {
  get(row: OptionRow): unknown;
  label(row: OptionRow): string;
}

/**
 * The overrides a source gives, by row name: each generic row it sets, checked by its kind; each
 * custom option it sets, by its reader (an option without one, e.g. `--threshold`, is read elsewhere).
 */
export function readOverrides(table: OptionTable, source: Source, readers: Readonly<Record<string, Reader | null>>): Overrides {
  const out: Overrides = {};
  const raw = new Map<string, Record<string, unknown>>();
  for (const row of table) {
    const v = source.get(row);
    if (v === undefined) continue;
    if (row.kind !== 'custom') {
      out[row.name] = readValue(row, v, source.label(row));
      continue;
    }
    const option = row.partOf ?? row.name;
    raw.set(option, { ...raw.get(option), [row.name]: v });
  }
  const label = (name: string): string => {
    const row = table.find((r) => r.name === name);
    return row ? source.label(row) : name;
  };
  for (const [option, values] of raw) {
    const read = readers[option];
    if (read === undefined) throw new Error(`the custom option ${option} has no reader for ${label(option)}`);
    if (read === null) continue;
    const v = read(values, label);
    if (v !== undefined) out[option] = v;
  }
  return out;
}

/** Parsed command-line arguments (camelCase keys, as yargs gives them) as a source. */
export function flagSource(args: Readonly<Record<string, unknown>>): Source {
  return { get: (row) => (row.flag === undefined ? undefined : args[camel(row.flag)]), label: (row) => `--${row.flag}` };
}

/** k6's `-e NAME=value` variables as a source: an empty one is not given. */
export function envSource(env: Readonly<Record<string, string | undefined>>): Source {
  return {
    get: (row) => (row.k6Env === undefined || env[row.k6Env] === '' ? undefined : env[row.k6Env]),
    label: (row) => `-e ${row.k6Env}`,
  };
}
