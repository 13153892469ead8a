/**
 * k6 has no global URL, and shared code (lib/core/vu-connection.ts) uses one to check
 * a target's scheme. The k6 build injects this in its place (esbuild `inject`): enough of a URL to
 * read the scheme of `scheme://host...` and to refuse anything else, as the WHATWG one does.
 * lib/k6/k6-runtime.d.ts types the global as just this, so shared code that needs more of URL
 * fails the k6 typecheck instead of failing inside k6.
 */
export class URL {
  readonly protocol: string;

  constructor(href: string) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*:)\/\/[^\s/?#@]+(?:[/?#]\S*)?$/.exec(String(href));
    if (!m) throw new TypeError(`Invalid URL: ${String(href)}`);
    this.protocol = (m[1] as string).toLowerCase();
  }
}
