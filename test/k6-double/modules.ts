/**
 * Which `k6/*` modules each k6 release offers, so that a bundle is loaded only against the releases
 * it claims. Sources:
 * - k6/experimental/websockets from v0.40 (grafana/k6 v0.40.0 release, xk6-websockets);
 *   k6/websockets from v1.6.0 (grafana/k6#5579, internal/js/jsmodules.go), the experimental name kept.
 * - k6/timers from v0.50; k6/experimental/timers a removed-module stub that throws on import from
 *   v0.54 (internal/js/jsmodules.go newRemovedModule).
 * - close events carry `code`/`reason` from v1.5.0 (internal/js/modules/k6/websockets/websockets.go
 *   callEventListeners).
 */

export type K6Version = '0.50' | '0.54' | '1.5' | '1.6';
export const K6_VERSIONS: K6Version[] = ['0.50', '0.54', '1.5', '1.6'];

export type ModuleKind = 'metrics' | 'timers' | 'execution' | 'websockets' | 'data';
export type ModuleEntry = ModuleKind | { removed: string };

/** k6: internal/js/jsmodules.go, the removed-module message of k6/experimental/timers. */
const TIMERS_REMOVED = 'k6/experimental/timers has been graduated, please use k6/timers instead.';

export function moduleTable(v: K6Version): Record<string, ModuleEntry> {
  const t: Record<string, ModuleEntry> = {
    'k6/metrics': 'metrics',
    'k6/execution': 'execution',
    'k6/data': 'data',
    'k6/timers': 'timers',
    'k6/experimental/websockets': 'websockets',
  };
  t['k6/experimental/timers'] = v === '0.50' ? 'timers' : { removed: TIMERS_REMOVED };
  if (v === '1.6') t['k6/websockets'] = 'websockets';
  return t;
}

/** Close events have `code` and `reason` from k6 v1.5.0. */
export function hasCloseCode(v: K6Version): boolean {
  return v === '1.5' || v === '1.6';
}

/**
 * k6's error for imports it does not know, raised while resolving modules, before any code runs.
 * From v1.4 all unknown modules are listed at once (grafana/k6#5240, js/modules/resolution.go
 * UnknownModulesError); before, the first one fails alone (js/modules/resolution.go "unknown module").
 */
export function unknownModulesError(v: K6Version, names: string[]): string {
  const list = [...names].sort();
  if (v === '0.50' || v === '0.54') return `unknown module: ${list[0] as string}`;
  return `unknown modules [${list.map((n) => JSON.stringify(n)).join(', ')}] were tried to be loaded, but couldn't - this likely means automatic extension resolution is required or a custom k6 binary with the required extensions`;
}
