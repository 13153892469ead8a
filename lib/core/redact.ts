/**
 * Secrets never leave a run: the password and user of a target URL (`wss://user:pass@host`), the
 * values of its credential-like query parameters (`?token=`, `?access_token=`, `?auth=`, ...), the
 * tokens (`--tokens`, `options.tokens`) and the values of credential-like headers are written as
 * `***` in every output. Two layers: structural (the target URL, options.json) and textual (every
 * text a run prints or writes passes `redactText`, which replaces each secret it was told about).
 * Pure (no Node built-ins): the k6 bundle can use it too.
 */
export const MASK = '***';

/** Query parameters whose values are credentials (compared lower-case, `-` and `_` ignored). */
export const SECRET_PARAMS = [
  'token', 'accesstoken', 'refreshtoken', 'idtoken', 'auth', 'authorization', 'authtoken', 'apikey', 'key', 'secret', 'clientsecret',
  'password', 'passwd', 'pass', 'pwd', 'sig', 'signature', 'session', 'sessionid', 'sid', 'jwt', 'ticket', 'credential', 'credentials', 'code',
];
/** Header names whose values are credentials. */
export const SECRET_HEADER = /authorization|cookie|token|secret|key|password|passwd|auth|session|signature|credential/i;

const normal = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');
/** A query value that looks like a credential whatever its name: long, and letters mixed with digits. */
const looksSecret = (v: string): boolean => v.length >= 20 && /[A-Za-z]/.test(v) && /\d/.test(v) && !v.includes('${');
export const isSecretParam = (name: string, value: string): boolean => SECRET_PARAMS.includes(normal(name)) || looksSecret(value);

/** A template placeholder (`${token}`) is no secret: it stays visible. */
const isTemplate = (v: string): boolean => /^\$\{[^}]*\}$/.test(v);

/**
 * The URL with its userinfo and credential query values masked; the placeholders of a template
 * (`?token=${token}`) stay. Works on the text, so that templates and invalid URLs are masked too.
 */
export function redactUrl(url: string): string {
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i, (_all, scheme: string) => `${scheme}${MASK}@`);
  out = out.replace(/([?&])([^=&#]+)=([^&#]*)/g, (all, sep: string, name: string, value: string) =>
    value !== '' && !isTemplate(value) && isSecretParam(decodeSafe(name), decodeSafe(value)) ? `${sep}${name}=${MASK}` : all);
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The secret strings of a URL: its user, password and credential query values (raw and decoded). */
export function urlSecrets(url: string): string[] {
  const out: string[] = [];
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i.exec(url);
  if (m) for (const part of (m[1] as string).split(':')) if (part !== '') out.push(part, decodeSafe(part));
  for (const q of url.matchAll(/[?&]([^=&#]+)=([^&#]*)/g)) {
    const value = q[2] as string;
    if (value !== '' && !value.includes('${') && isSecretParam(decodeSafe(q[1] as string), decodeSafe(value))) out.push(value, decodeSafe(value));
  }
  return out;
}

/** The secrets of a header value: a literal credential, or what follows its scheme word ("Bearer abc" → "abc"). */
export function headerSecrets(name: string, value: string): string[] {
  if (!SECRET_HEADER.test(name) || value.includes('${')) return [];
  const m = /^[A-Za-z]+ (.+)$/.exec(value);
  return m ? [value, m[1] as string] : [value];
}

/** Secrets shorter than this are not searched for in text (a 2-letter token would mask every word that holds it). */
const MIN_SECRET = 4;

/** Replaces every known secret in text by `***`. */
export class Redactor {
  private secrets: string[] = [];

  add(values: Iterable<string>): void {
    const set = new Set(this.secrets);
    for (const v of values) if (v.length >= MIN_SECRET) set.add(v);
    // longest first: a secret that contains another is masked whole
    this.secrets = [...set].sort((a, b) => b.length - a.length);
  }

  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    // JSON escapes some characters of a secret ("/" stays, but quotes and backslashes change): mask those forms too
    for (const secret of this.secrets) {
      const json = JSON.stringify(secret).slice(1, -1);
      if (json !== secret && out.includes(json)) out = out.split(json).join(MASK);
    }
    return out;
  }
}

/** The run's redactor (one per process: the coordinator and each worker tell it their secrets). */
export const redactor = new Redactor();
export const redactText = (s: string): string => redactor.text(s);

/** Tells the process's redactor the secrets of a run's options. */
export function learnSecrets(o: { target: string; tokens?: string[]; headers?: Record<string, string> }): void {
  redactor.add([
    ...urlSecrets(o.target),
    ...(o.tokens ?? []),
    ...(o.tokens ?? []).map((t) => encodeURIComponent(t)),
    ...Object.entries(o.headers ?? {}).flatMap(([k, v]) => headerSecrets(k, v)),
  ]);
}
