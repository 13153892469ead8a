import { ConfigError } from '../scenario/config-error';
import type { ResolvedOptions } from '../scenario/types';

/**
 * The `${vu}` and `${token}` templates of a connection's target and headers, and of a protocol's
 * credentials (lib/protocols/): checked, expanded, and the VU's token. Pure code with no URL, so
 * that the API's declarations build (tsconfig.api.json) takes it through `wsbench/protocols`.
 */

/** Placeholders a target URL or a header value may hold. */
export const PLACEHOLDERS = ['vu', 'token'] as const;
const PLACEHOLDER = /\$\{([^}]*)\}/g;

export type TokenFn = (vu: number) => string;
export type HeadersFn = (vu: number, token: string | undefined) => Record<string, string>;

/** The function forms of `options.tokens` and `options.headers`: they stay in the scenario module (no IPC). */
export interface ScenarioHooks {
  tokens?: TokenFn;
  headers?: HeadersFn;
}

function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** Templates seen, and whether each names `${token}` (asked once per connection: kept, not parsed again). */
// a plain object, not a Map: a k6 VU then never makes the Map global (bench/README.md "Cost per VU on k6")
const tokenTemplates = Object.create(null) as Record<string, boolean>;
let tokenTemplateCount = 0;

export function usesToken(text: string): boolean {
  let uses = tokenTemplates[text];
  if (uses === undefined) {
    uses = placeholdersOf(text).includes('token');
    if (tokenTemplateCount < 1000) {
      tokenTemplates[text] = uses;
      tokenTemplateCount++;
    }
  }
  return uses;
}

/** Only `${vu}` and `${token}`, and `${token}` only when there are tokens. */
export function checkTemplate(text: string, what: string, hasTokens: boolean): void {
  for (const name of placeholdersOf(text)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new ConfigError(`${what}: unknown placeholder \${${name}} (the placeholders are \${vu} and \${token})`);
    }
    if (name === 'token' && !hasTokens) {
      throw new ConfigError(`${what} uses \${token} but no tokens were given: pass --tokens FILE (one token per line) or set options.tokens`);
    }
  }
}

/** Replaces `${vu}` and `${token}`; `encode` escapes the token (URL-encoding in URLs, none in headers). */
export function expandTemplate(text: string, vars: { vu: number; token?: string }, encode: (s: string) => string = (s) => s): string {
  if (!text.includes('${')) return text;
  return text.replace(PLACEHOLDER, (all, name: string) => {
    if (name === 'vu') return String(vars.vu);
    if (name === 'token') return encode(vars.token ?? '');
    return all;
  });
}

/** VU i's token: line i mod n of the tokens (`--tokens FILE` or a list), else `tokens(i)` of the scenario. */
export function tokenFor(o: Pick<ResolvedOptions, 'tokens'>, hooks: ScenarioHooks | undefined, vu: number): string | undefined {
  const list = o.tokens;
  if (list && list.length > 0) return list[vu % list.length];
  if (hooks?.tokens) {
    const t = hooks.tokens(vu);
    if (typeof t !== 'string') throw new TypeError(`options.tokens(${vu}) must return a string (got ${typeof t})`);
    return t;
  }
  return undefined;
}
