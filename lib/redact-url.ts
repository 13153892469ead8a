/**
 * A target URL as it may be shown or tagged (k6 tags every ws_* sample with it): placeholders kept
 * as written (`${vu}`, `${token}`: the template, not one value per VU), userinfo dropped, and every
 * query value that is not only placeholders replaced by `<redacted>` (an `?apikey=...` must not
 * reach an output). Pure string work: k6 has no URL class.
 */
export function redactUrl(template: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/?#@]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(template);
  if (!m) return '<redacted>';
  const query = m[3]
    ? `?${m[3]
        .slice(1)
        .split('&')
        .map((pair) => {
          const eq = pair.indexOf('=');
          if (eq < 0) return pair;
          const value = pair.slice(eq + 1);
          return /^(?:\$\{[^}]*\})*$/.test(value) ? pair : `${pair.slice(0, eq)}=<redacted>`;
        })
        .join('&')}`
    : '';
  return `${m[1]}${m[2]}${query}`;
}
