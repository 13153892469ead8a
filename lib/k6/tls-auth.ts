/**
 * The client certificate of a k6 run (mTLS): `-e TLS_CERT=FILE -e TLS_KEY=FILE` become k6's
 * `tlsAuth: [{ cert, key }]` option, which k6/websockets presents to every wss:// server that asks
 * (no `domains`: k6 then picks the certificate by the server's request). The PEM files are read with
 * k6's `open()` in the init context, when k6 reads the options: the key is in no bundle, file or
 * output of ours, only in k6's memory (docs/k6.md, "Client certificates and proxies").
 */
export interface K6TlsAuth {
  tlsAuth?: Array<{ cert: string; key: string }>;
}

export function tlsAuthFromEnv(env: Readonly<Record<string, string | undefined>>, read: (file: string) => string): K6TlsAuth {
  const cert = env.TLS_CERT;
  const key = env.TLS_KEY;
  if (cert === undefined && key === undefined) return {};
  if (!cert || !key) throw new Error(`-e ${cert ? 'TLS_CERT' : 'TLS_KEY'} needs -e ${cert ? 'TLS_KEY' : 'TLS_CERT'}: a client certificate is a PEM certificate and its private key`);
  return { tlsAuth: [{ cert: read(cert), key: read(key) }] };
}
