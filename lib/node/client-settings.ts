import type { ClientOptions } from 'ws';
import { urlSecrets } from '../core/redact';
import type { ProxySettings } from './proxy-route';

/**
 * How a run's connections are made below the WebSocket, as the coordinator read it from the flags
 * and the environment (runner/client-flags.ts) and sends it to each worker: TLS trust (`--insecure`,
 * `--ca`), the client certificate (`--cert`, `--key`: PEM text, never printed) and the proxy.
 */
export interface ClientTransport {
  insecure: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  proxy?: ProxySettings;
}

/** The TLS options both clients (lib/node/ws-client.ts, lib/node/raw-client.ts) pass to `tls.connect`. */
export function tlsClientOptions(c: ClientTransport): ClientOptions {
  return {
    rejectUnauthorized: !c.insecure,
    ...(c.ca ? { ca: c.ca } : {}),
    ...(c.cert ? { cert: c.cert } : {}),
    ...(c.key ? { key: c.key } : {}),
  };
}

/** The secrets of these settings, for the redactor (lib/core/redact.ts): the proxies' user and password, the key's text and its lines. */
export function clientSecrets(c: ClientTransport): string[] {
  const out: string[] = [];
  for (const url of [c.proxy?.flag, c.proxy?.http, c.proxy?.https]) if (url) out.push(...urlSecrets(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`));
  if (c.key) out.push(c.key.trim(), ...c.key.split(/\r?\n/).filter((l) => l.length >= 16 && !l.startsWith('-----')));
  return out;
}
