import type { Argv, Options } from 'yargs';
import { ConfigError } from '../lib/scenario/config-error';
import { parseDuration } from '../lib/scenario/duration';
import { checkMessaging } from '../lib/helpers/messaging-settings';
import { flagSource, Reader, readOverrides } from '../lib/options/inputs';
import { flagTypeOf } from '../lib/options/kinds';
import type { Overrides } from '../lib/options/options';
import { readReconnect } from '../lib/options/reconnect-flags';
import { CustomFlagOption, OPTIONS, OptionRow, OptionTable, rowNamed } from '../lib/options/table';
import type { Lang } from '../lib/results/report/text';
import { CONNECT_READERS } from './connect-flags';
import { parseDashboard } from './dashboard/address';
import { RUN_FLAGS } from './run-flag-table';

/** A row's default as --help shows it: its value, its words, or the option it follows. */
function helpDefault(row: OptionRow, table: OptionTable): string | undefined {
  const d = row.default;
  if (row.defaultDoc !== undefined) return row.defaultDoc;
  if (typeof d === 'object') return `as --${rowNamed(table, d.from).flag}`;
  return d === undefined ? undefined : String(d);
}

/** A row with a flag as yargs' option: an option row's default only described (the scenario's value comes under it). */
function yargsOption(row: OptionRow, table: OptionTable, own: boolean): Options {
  const type = flagTypeOf(row);
  const o: Options = { type: type === 'list' ? 'string' : type, describe: row.doc };
  if (type === 'list') o.array = true;
  const shown = helpDefault(row, table);
  if (own && row.default !== undefined && typeof row.default !== 'object') o.default = row.default;
  else if (shown !== undefined) o.defaultDescription = shown;
  return o;
}

const OPTION_GROUP = "Scenario options (a flag overrides the scenario's):";
const RUN_GROUP = 'Run:';

/** The flags of `runner run` and `wsbench`: every row with a flag of the option table, then the runner's own. */
export function runFlags<T>(y: Argv<T>, table: OptionTable = OPTIONS, runTable: OptionTable = RUN_FLAGS): Argv<T> {
  let out = y;
  for (const [rows, group, own] of [[table, OPTION_GROUP, false], [runTable, RUN_GROUP, true]] as const) {
    const flagged = rows.filter((r) => r.flag !== undefined);
    for (const row of flagged) out = out.option(row.flag as string, yargsOption(row, rows, own));
    out = out.group(flagged.map((r) => r.flag as string), group);
  }
  return out;
}

/** Parsed arguments, camelCase (yargs): the option table's flags by name, and the runner's own below. */
export interface RunArgs {
  [flag: string]: unknown;
  msgSize?: number;
  msgRate?: number;
  roomSize?: number;
  workers?: number;
  serverWorkers?: number;
  lang?: string;
  ca?: string;
  segment?: string;
  dashboard?: string;
  dashboardLinger?: string;
}

const dur = (v: string | undefined, flag: string): number | undefined => (v === undefined ? undefined : parseDuration(v, flag));

function wholeNumber(v: number | undefined, flag: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`${flag} must be a whole number >= ${min} (got ${Number.isNaN(v) ? 'not a number' : v})`);
  return v;
}

/** The readers of the custom options a flag sets (lib/options/table.ts); null: read elsewhere. */
const CLI_READERS: Record<CustomFlagOption, Reader | null> = {
  ...CONNECT_READERS,
  reconnect: readReconnect,
  // --threshold goes to the verdict as it is (runner/run-command.ts, lib/results/verdict.ts thresholdsFor)
  thresholds: null,
};

/** What the flags override: every flagged row of the table, checked as its kind says or by its reader. */
export function overridesFrom(a: RunArgs, table: OptionTable = OPTIONS): Overrides {
  return { ...readOverrides(table, flagSource(a), CLI_READERS), extra: messagingExtra(a) };
}

/** The built-in messaging scenario's flags (rows of runner/run-flag-table.ts), by their key in `extra`. */
const MSG_KEYS = ['msgSize', 'msgRate', 'roomSize'] as const;

/** Messaging flags, passed to the scenario as `vu.options.extra`; checked by the scenario's own validator. */
function messagingExtra(a: RunArgs): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const key of MSG_KEYS) if (a[key] !== undefined) extra[key] = a[key];
  if (Object.keys(extra).length === 0) return undefined;
  checkMessaging(extra, (key) => `--${rowNamed(RUN_FLAGS, key).flag}`);
  return extra;
}

export function checkLang(v: string | undefined): Lang {
  if (v !== 'en' && v !== 'zh') throw new ConfigError(`--lang must be en or zh (got ${JSON.stringify(v)})`);
  return v;
}

export function checkWorkers(a: RunArgs): { workers?: number; serverWorkers?: number } {
  return { workers: wholeNumber(a.workers, '--workers', 1), serverWorkers: wholeNumber(a.serverWorkers, '--server-workers', 1) };
}

/** `--dashboard [HOST:PORT]` and `--dashboard-linger`; undefined without --dashboard. */
export function dashboardFrom(a: RunArgs): { host: string; port: number; lingerMs: number } | undefined {
  if (a.dashboard === undefined) {
    if (a.dashboardLinger !== undefined) throw new ConfigError('--dashboard-linger needs --dashboard');
    return undefined;
  }
  return { ...parseDashboard(a.dashboard), lingerMs: dur(a.dashboardLinger, '--dashboard-linger') ?? 0 };
}

/**
 * `--segment i/n`, 0-based as Kubernetes' JOB_COMPLETION_INDEX: generator i of n runs every n-th VU
 * of every stage (i, i+n, i+2n, ...), so the n segments together run the whole test exactly once.
 */
export function parseSegment(v: string | undefined): { index: number; count: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) {
    const unexpanded = v.includes('$') ? '; the variable was not expanded' : '';
    const why = m && count >= 1 && index >= count ? `; i counts from 0, so the last of ${count} is ${count - 1}/${count}` : '';
    throw new ConfigError(`--segment must be i/n with 0 <= i < n, e.g. 0/3, 1/3 and 2/3 for three generators (got ${JSON.stringify(v)}${why}${unexpanded})`);
  }
  return { index, count };
}
