import { ConfigError } from '../scenario/config-error';
import { checkTemplate, expandTemplate, ScenarioHooks, tokenFor, usesToken } from './templates';
import { MASK, redactUrl, SECRET_HEADER } from './redact';
import type { ConnectParams, ResolvedOptions, ScenarioOptions } from '../scenario/types';

/**
 * A VU's own connection: the target as a URL template (`ws://host/ws?uid=${vu}&token=${token}`),
 * headers with the same placeholders, subprotocols, and the VU's token. Pure code (no Node
 * built-ins): the Node runner and the k6 adapter both build connections with `vuConnection`.
 */

// the templates' code, which lib/protocols/ shares (it needs no URL): lib/core/templates.ts
export { checkTemplate, expandTemplate, PLACEHOLDERS, tokenFor, usesToken } from './templates';
export type { HeadersFn, ScenarioHooks, TokenFn } from './templates';

export function hooksOf(opts: Pick<ScenarioOptions, 'tokens' | 'headers'> | undefined): ScenarioHooks {
  return {
    tokens: typeof opts?.tokens === 'function' ? opts.tokens : undefined,
    headers: typeof opts?.headers === 'function' ? opts.headers : undefined,
  };
}

/** A target template: known placeholders, and a ws:// or wss:// URL once expanded. */
export function checkTargetTemplate(target: string, what: string, hasTokens: boolean): string {
  checkTemplate(target, what, hasTokens);
  let url: URL | undefined;
  try {
    url = new URL(expandTemplate(target, { vu: 0, token: 'token' }, encodeURIComponent));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
    throw new ConfigError(`${what} must be a ws:// or wss:// URL like ws://127.0.0.1:30084/ws (got ${JSON.stringify(redactUrl(target))})`);
  }
  return target;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const SUBPROTOCOL = /^[!#$%&'*+\-.0-9A-Z^_`|a-z~]+$/;

export function checkHeaders(h: unknown, what: string, hasTokens: boolean): Record<string, string> {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) {
    throw new ConfigError(`${what} must be an object of header names to values, like { Authorization: 'Bearer \${token}' }, or a function (vu, token) => headers`);
  }
  for (const [name, value] of Object.entries(h)) {
    if (!HEADER_NAME.test(name)) throw new ConfigError(`${what}: ${JSON.stringify(name)} is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~)`);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new ConfigError(`${what}.${name} must be a string without line breaks (got ${JSON.stringify(value)})`);
    }
    checkTemplate(value, `${what}.${name}`, hasTokens);
  }
  return h as Record<string, string>;
}

/** `--header "Name: value"` (repeatable) → headers. */
export function parseHeaderFlags(lines: string[], hasTokens: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([^:\s]+)\s*:\s?(.*)$/.exec(line);
    if (!m || !HEADER_NAME.test(m[1] as string)) {
      throw new ConfigError(`--header must be "Name: value", like --header 'Authorization: Bearer \${token}' (got ${JSON.stringify(line)})`);
    }
    out[m[1] as string] = m[2] as string;
  }
  return checkHeaders(out, '--header', hasTokens);
}

export function checkProtocols(p: unknown, what: string): string[] {
  if (!Array.isArray(p) || p.some((x) => typeof x !== 'string' || !SUBPROTOCOL.test(x))) {
    throw new ConfigError(`${what} must be a list of subprotocol names (letters, digits, no spaces or commas), like ['chat.v2'] (got ${JSON.stringify(p)})`);
  }
  if (new Set(p).size !== p.length) throw new ConfigError(`${what} names a subprotocol twice (got ${JSON.stringify(p)})`);
  return p as string[];
}

export function checkTokens(t: unknown, what: string): string[] | undefined {
  if (t === undefined || typeof t === 'function') return undefined;
  if (!Array.isArray(t) || t.length === 0 || t.some((x) => typeof x !== 'string' || x === '')) {
    throw new ConfigError(`${what} must be a non-empty list of token strings, or a function (vu) => token (got ${JSON.stringify(t)?.slice(0, 80)})`);
  }
  return t as string[];
}

/** The lines of a tokens file: one token per line; blank lines are skipped. */
export function parseTokenLines(text: string, file: string): string[] {
  const tokens = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (tokens.length === 0) throw new ConfigError(`--tokens: ${file} holds no tokens (give one token per line)`);
  return tokens;
}


/**
 * The URL and parameters of a VU's connection: the URL (given, else the target) with its
 * placeholders expanded, the options' headers and subprotocols under the call's own.
 */
export function vuConnection(
  o: Pick<ResolvedOptions, 'target' | 'tokens' | 'headers' | 'protocols'>,
  hooks: ScenarioHooks | undefined,
  vu: number,
  url?: string,
  params?: ConnectParams,
): { url: string; params: ConnectParams } {
  const template = url ?? o.target;
  // data headers (a list in the options or --header) win over a headers function
  const headerTemplates = o.headers;
  const headersFn = headerTemplates ? undefined : hooks?.headers;
  const needsToken = usesToken(template) || !!headersFn || (!!headerTemplates && Object.values(headerTemplates).some(usesToken));
  const vars = { vu, token: needsToken ? tokenFor(o, hooks, vu) : undefined };
  let headers: Record<string, string> | undefined;
  if (headersFn) headers = headersFn(vu, vars.token);
  else if (headerTemplates) {
    headers = {};
    for (const [k, v] of Object.entries(headerTemplates)) headers[k] = expandTemplate(v, vars);
  }
  if (params?.headers) headers = { ...headers, ...params.headers };
  const protocols = params?.protocols ?? o.protocols;
  const out: ConnectParams = {};
  if (headers) out.headers = headers;
  if (protocols && protocols.length > 0) out.protocols = protocols;
  return { url: expandTemplate(template, vars, encodeURIComponent), params: out };
}

/**
 * Options as written to the results folder: the tokens and secret-looking header values are
 * replaced by a note (a results folder gets shared; credentials must not travel with it).
 */
export function redactOptions<T extends Pick<ResolvedOptions, 'tokens' | 'headers'> & { target?: string }>(o: T): T {
  const out = { ...o };
  if (o.target !== undefined) out.target = redactUrl(o.target);
  if (o.tokens) out.tokens = [`<${o.tokens.length} tokens, not written>`];
  if (o.headers) {
    out.headers = Object.fromEntries(
      Object.entries(o.headers).map(([k, v]) => [k, SECRET_HEADER.test(k) && !/\$\{/.test(v) ? MASK : v]),
    );
  }
  return out;
}
