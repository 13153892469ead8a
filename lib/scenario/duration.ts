import { ConfigError } from './config-error';

/** A duration as users write it: `500ms`, `30s`, `1m30s`, `2h`, or a number of milliseconds. */
export type Duration = string | number;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration into milliseconds; returns undefined when the text is not a duration. */
export function tryParseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return undefined; // a bare number is ambiguous: ask for a unit
  let total = 0;
  // made at each call, not when the module loads: a k6 VU whose durations are numbers makes none (bench/README.md "Cost per VU on k6")
  const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== at) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  return total;
}

/** Parses a duration or throws `<what> must be a duration like "30s", "1m30s", "500ms" (got "x")`. */
export function parseDuration(value: unknown, what = 'duration'): number {
  const ms = tryParseDuration(value);
  if (ms === undefined) {
    throw new ConfigError(`${what} must be a duration like "30s", "1m30s" or "500ms" (got ${JSON.stringify(value)})`);
  }
  return ms;
}

/** Formats milliseconds the way users write them: 90000 → "1m30s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) { out += `${n}${unit}`; rest -= n * size; }
  }
  if (rest > 0) out += `${rest}ms`;
  return out;
}
