import { ConfigError } from '../scenario/config-error';
import { parseDuration } from '../scenario/duration';
import type { FlagType, OptionRow } from './table';

/**
 * The readers of the table's kinds (lib/options/table.ts `OptionKind`): one value, from a scenario
 * (`what` is `options.pingInterval`), a flag (`--ping-interval`) or a k6 variable (`-e PING_INTERVAL`),
 * checked into its resolved form (a duration in ms, a size in bytes) or one line naming `what`.
 */

const SIZE_UNIT: Record<string, number> = { B: 1, KB: 1024, MB: 1_048_576 };

/** A size in bytes: a number, or "512B", "64KB", "1MB" (binary units). */
function parseSize(v: unknown, what: string): number {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB)\s*$/i.exec(v) : null;
  const bytes = typeof v === 'number' ? v : m ? Number(m[1]) * (SIZE_UNIT[(m[2] as string).toUpperCase()] as number) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) throw new ConfigError(`${what} must be a size like 65536, "64KB" or "1MB" (got ${JSON.stringify(v)})`);
  return Math.floor(bytes);
}

/** A k6 variable is text: numbers and switches are read from it. */
const asNumber = (v: unknown): number => (typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : NaN);

/** A switch: a flag's boolean, or a k6 variable's `1|true|on|yes` and `0|false|off|no`. */
export function readBoolean(v: unknown, what: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(1|true|on|yes)$/i.test(v)) return true;
  if (typeof v === 'string' && /^(0|false|off|no)$/i.test(v)) return false;
  throw new ConfigError(`${what} must be 1 or 0 (got ${JSON.stringify(v)})`);
}

function readEnum(row: OptionRow, v: unknown, what: string): string {
  const values = row.values ?? [];
  if (values.includes(v as string)) return v as string;
  const list = row.oneOf || values.length !== 2 ? `one of ${values.join(', ')}` : values.join(' or ');
  throw new ConfigError(`${what} must be ${list} (got ${JSON.stringify(v)})`);
}

/** The value of a row of a generic kind, checked; `custom` rows are read by their own code. */
export function readValue(row: OptionRow, v: unknown, what: string): unknown {
  switch (row.kind) {
    case 'duration': {
      const ms = parseDuration(v, what);
      if (!row.zero && !(ms > 0)) throw new ConfigError(`${what} must be more than 0s`);
      return ms;
    }
    case 'size':
      return parseSize(v, what);
    case 'enum':
      return readEnum(row, v, what);
    case 'whole': {
      const n = asNumber(v);
      if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${what} must be a whole number >= 1 (got ${Number.isNaN(n) ? 'not a number' : n})`);
      return n;
    }
    case 'number': {
      const n = asNumber(v);
      if (!Number.isFinite(n)) throw new ConfigError(`${what} must be a number (got ${JSON.stringify(v)})`);
      return n;
    }
    case 'string':
      if (typeof v !== 'string') throw new ConfigError(`${what} must be a string (got ${JSON.stringify(v)})`);
      return v;
    case 'list':
      if (typeof v === 'string') return [v];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ConfigError(`${what} must be a list of strings (got ${JSON.stringify(v)})`);
      return v;
    case 'boolean':
      return readBoolean(v, what);
    case 'custom':
      throw new Error(`${row.name} is a custom option: its own code reads it`);
  }
}

/** How its flag is given on the command line (yargs' type), from the row's kind. */
export function flagTypeOf(row: OptionRow): FlagType {
  if (row.kind === 'custom') return row.flagType ?? 'string';
  if (row.kind === 'whole' || row.kind === 'number') return 'number';
  if (row.kind === 'boolean' || row.kind === 'list') return row.kind;
  return 'string';
}
