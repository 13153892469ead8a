/**
 * The k6 < 1.5 build (`runner build --target k6 --k6-legacy`): build/k6.ts sets this expression to
 * `true` with esbuild's `define` (`{ [K6_LEGACY_DEFINE]: 'true' }`). A member of globalThis, not a
 * bare name, so that a bundle built without it reads `undefined` instead of a missing global.
 */
export const K6_LEGACY_DEFINE = 'globalThis.__WSBENCH_K6_LEGACY__';

/**
 * k6 before v1.5.0 gives close events no `code` or `reason` (xk6-websockets added them in the
 * release merged into k6 v1.5.0): a server close cannot be told from a drop, so it is classed as
 * this instead of a made-up 1006.
 */
export const UNKNOWN_CLOSE_CODE = 'closed by server (code unknown: k6 < 1.5)';

/** True in a bundle built with `--k6-legacy`. */
export function isLegacyBuild(): boolean {
  return (globalThis as { __WSBENCH_K6_LEGACY__?: boolean }).__WSBENCH_K6_LEGACY__ === true;
}
