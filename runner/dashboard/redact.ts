/**
 * The target URL as the dashboard shows it: no userinfo, and no query value (a token is often
 * passed as `?token=`, `access_token=`, `auth=`); a `${token}` template is kept, it is no secret.
 * Local to the dashboard until a shared lib/redact.ts exists.
 */
export function redactUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '<target not shown: not a URL>';
  }
  u.username = '';
  u.password = '';
  u.hash = '';
  const pairs = [...u.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${/^\$\{[^}]*\}$/.test(v) ? v : '<redacted>'}`);
  u.search = '';
  return pairs.length > 0 ? `${u.toString()}?${pairs.join('&')}` : u.toString();
}

/** A summary (or anything with a `target`) with its target redacted; the rest is not secret. */
export function redactTarget<T extends { target: string }>(s: T): T {
  return { ...s, target: redactUrl(s.target) };
}
