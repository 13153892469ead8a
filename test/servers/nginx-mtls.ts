import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tmpDir } from '../helpers';
import { freePort, listening, startProcess } from './processes';

/**
 * A private nginx (Debian's /usr/sbin/nginx) in front of a WebSocket server: TLS on a free
 * loopback port with `ssl_verify_client on` against a test CA, proxying upgrades to `upstream`.
 * Its own prefix, config, logs and PID; the access log has one line per request:
 * `<status> <ssl_client_verify> <ssl_client_s_dn>`. Certificates (CA, server for 127.0.0.1, client)
 * are made here with openssl.
 */
export const NGINX = '/usr/sbin/nginx';
export const hasNginx = (): boolean => fs.existsSync(NGINX);

export interface Pki {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate from a CA the server does not trust. */
  strangerCert: string;
  strangerKey: string;
}

/** A CA, a server certificate for IP 127.0.0.1 and client certificates, EC P-256, valid two days. */
export function makePki(): Pki {
  const dir = tmpDir('wsbench-pki-');
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const leaf = (name: string, ca: string, ext: string): void => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), `${ext}\n`);
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  };
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=wsbench test CA');
  ssl('req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=another CA');
  leaf('server', 'ca', 'subjectAltName=IP:127.0.0.1');
  leaf('client', 'ca', 'extendedKeyUsage=clientAuth');
  leaf('stranger', 'other-ca', 'extendedKeyUsage=clientAuth');
  const f = (n: string): string => path.join(dir, n);
  return {
    dir, ca: f('ca.pem'), serverCert: f('server.pem'), serverKey: f('server.key'), clientCert: f('client.pem'), clientKey: f('client.key'),
    strangerCert: f('stranger.pem'), strangerKey: f('stranger.key'),
  };
}

export interface Nginx {
  /** wss://127.0.0.1:<port>/ */
  url: string;
  accessLog: string;
  stop(): Promise<void>;
}

export async function startNginxMtls(pki: Pki, upstreamPort: number): Promise<Nginx> {
  const prefix = tmpDir('wsbench-nginx-');
  const port = await freePort();
  const accessLog = path.join(prefix, 'access.log');
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, `
daemon off;
master_process off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  log_format mtls '$status $ssl_client_verify $ssl_client_s_dn';
  access_log ${accessLog} mtls;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${pki.serverCert};
    ssl_certificate_key ${pki.serverKey};
    ssl_client_certificate ${pki.ca};
    ssl_verify_client on;
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 120s;
    }
  }
}
`);
  const p = startProcess(NGINX, ['-p', prefix, '-c', conf, '-e', path.join(prefix, 'error.log')]);
  await listening(port, p.proc, () => `${p.log()} ${fs.existsSync(path.join(prefix, 'error.log')) ? fs.readFileSync(path.join(prefix, 'error.log'), 'utf8') : ''}`);
  return { url: `wss://127.0.0.1:${port}/`, accessLog, stop: p.stop };
}
