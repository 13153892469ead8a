/**
 * Globals of k6's JavaScript runtime that @types/k6 leaves out, and what shared code names.
 *
 * - `console`: k6 has it (log, info, warn, error, debug).
 * - `URL`: k6 has NO global URL. Shared code (lib/core/vu-connection.ts) uses one to
 *   check a target's scheme; the k6 build injects lib/k6/url.ts in its place, which has only
 *   `protocol`. Typed here as just that, so shared code that needs more fails this typecheck.
 */
declare const console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
};

declare class URL {
  constructor(url: string);
  readonly protocol: string;
}

