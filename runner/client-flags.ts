import fs from 'node:fs';
import tls from 'node:tls';
import { parseProxyUrl, ProxySettings } from '../lib/node/proxy-route';
import { ConfigError } from '../lib/scenario/config-error';

/** A PEM file of the flag `flag`, holding a block that `marker` finds; read here, on the coordinator's side. */
function readPem(flag: string, file: string, what: string, marker: RegExp): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${flag}: cannot read ${file} (give a PEM file of ${what})`);
  }
  if (!marker.test(text)) throw new ConfigError(`${flag}: ${file} is not a PEM file of ${what} (expected a "-----BEGIN ${what === 'the client certificate' ? 'CERTIFICATE' : 'PRIVATE KEY'}-----" block)`);
  return text;
}

/**
 * `--cert FILE --key FILE`: the client certificate (mTLS) both transports present, given together.
 * The key's text goes to the workers only (lib/node/client-settings.ts); no output quotes it.
 */
export function readClientCert(cert: string | undefined, key: string | undefined): { cert?: string; key?: string } {
  if (cert === undefined && key === undefined) return {};
  if (cert === undefined || key === undefined) throw new ConfigError(`${cert === undefined ? '--key' : '--cert'} needs ${cert === undefined ? '--cert' : '--key'}: a client certificate is the certificate and its private key, each a PEM file`);
  const pair = {
    cert: readPem('--cert', cert, 'the client certificate', /-----BEGIN CERTIFICATE-----/),
    key: readPem('--key', key, 'the private key', /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/),
  };
  // checked here, once, rather than failing every attempt: an encrypted key, or a key that is not the certificate's
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pair.key)) {
    throw new ConfigError(`--key: ${key} is encrypted, and wsbench takes no passphrase: give it decrypted (openssl pkey -in ${key} -out client.key)`);
  }
  try {
    tls.createSecureContext(pair);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    throw new ConfigError(code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'
      ? `--cert and --key do not match: ${key} is not the private key of ${cert}`
      : `--cert/--key: Node cannot use ${cert} with ${key} (${code})`);
  }
  return pair;
}

/** An environment variable in its upper- or lower-case spelling (upper first, as Go's net/http reads them). */
function envAny(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name] ?? env[name.toLowerCase()];
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The run's proxy (docs/transport.md, "Proxies"): `--proxy URL` for every connection, else
 * `HTTP_PROXY` (ws://), `HTTPS_PROXY` (wss://) and `NO_PROXY` from the environment. Each URL is checked
 * here, so that a bad one stops the run in one line (which never quotes it: it may hold a password).
 */
export function proxySettings(flag: string | undefined, env: NodeJS.ProcessEnv): ProxySettings | undefined {
  if (flag !== undefined) {
    parseProxyUrl(flag, '--proxy');
    return { flag };
  }
  const http = envAny(env, 'HTTP_PROXY');
  const https = envAny(env, 'HTTPS_PROXY');
  if (http === undefined && https === undefined) return undefined;
  if (http !== undefined) parseProxyUrl(http, 'HTTP_PROXY');
  if (https !== undefined) parseProxyUrl(https, 'HTTPS_PROXY');
  return { http, https, noProxy: envAny(env, 'NO_PROXY') };
}
