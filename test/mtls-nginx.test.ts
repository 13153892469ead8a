import fs from 'node:fs';
import { startFaultServer, FaultServer } from './fault-server';
import { CONNECT_ONLY, runCli } from './helpers';
import { hasNginx, makePki, Nginx, Pki, startNginxMtls } from './servers/nginx-mtls';
import { logLines } from './servers/processes';

/**
 * mTLS through a real nginx (`ssl_verify_client on`, test/servers/nginx-mtls.ts) in front of the
 * fault server: with --cert/--key every VU connects, on both transports, and nginx's own access
 * log counts them (101, SUCCESS, the client's name); without a certificate, or with one from a CA
 * nginx does not trust, every attempt fails under one TLS class (nginx answers 400 with a page that
 * names the reason: lib/node/refused-upgrade.ts), and nginx logs why (NONE, FAILED:…).
 */
const N = 12;
const run = ['--conns', String(N), '--duration', '1500ms', '--ramp', '300ms', '--ping-interval', '500ms'];
const d = hasNginx() ? describe : describe.skip;
if (!hasNginx()) console.log('test/mtls-nginx.test.ts: skipped, no /usr/sbin/nginx (apt-get install nginx)');

let pki: Pki;
let upstream: FaultServer;
let nginx: Nginx;

beforeAll(async () => {
  pki = makePki();
  if (!hasNginx()) return;
  upstream = await startFaultServer({});
  nginx = await startNginxMtls(pki, upstream.port);
});
afterAll(async () => {
  await nginx?.stop();
  await upstream?.close();
});

/** The access log's lines from `from` on (each test reads its own). */
async function newLines(from: number, n: number): Promise<string[]> {
  return (await logLines(nginx.accessLog, /^\d{3} /, from + n)).slice(from);
}
const logged = (): number => (fs.existsSync(nginx.accessLog) ? fs.readFileSync(nginx.accessLog, 'utf8').split('\n').filter((l) => /^\d{3} /.test(l)).length : 0);

d('mTLS through nginx with ssl_verify_client on', () => {
  test.each(['ws', 'raw'])('with --cert/--key all %s connections open, as many as nginx logs', async (transport) => {
    const before = logged();
    const accepted = upstream.counts.accepted;
    const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', nginx.url, '--ca', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey, '--transport', transport, ...run]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.summary!.connections).toMatchObject({ attempted: N, succeeded: N, failed: 0 });
    const lines = await newLines(before, N);
    expect(lines).toHaveLength(N);
    for (const l of lines) expect(l).toBe('101 SUCCESS CN=client');
    expect(upstream.counts.accepted - accepted).toBe(N);
    // the key never reaches any output
    const key = fs.readFileSync(pki.clientKey, 'utf8').split('\n')[1] as string;
    expect(r.stdout + r.stderr + fs.readFileSync(`${r.outDir}/summary.json`, 'utf8')).not.toContain(key);
  });

  test.each(['ws', 'raw'])('%s: without a client certificate every attempt fails under one TLS class, and nginx logs each as NONE', async (transport) => {
    const before = logged();
    const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', nginx.url, '--ca', pki.ca, '--transport', transport, ...run]);
    expect(r.summary!.connections).toMatchObject({ attempted: N, succeeded: 0, failed: N });
    const classes = Object.entries(r.summary!.connections.errors);
    expect(classes).toHaveLength(1);
    expect(classes).toEqual([['TLS ERR_TLS_CLIENT_CERT_REQUIRED', N]]);
    expect(r.stdout).toContain('TLS ERR_TLS_CLIENT_CERT_REQUIRED  → the server refused the client certificate (or wants one): give --cert and --key');
    const lines = await newLines(before, N);
    expect(lines).toHaveLength(N);
    for (const l of lines) expect(l).toMatch(/^400 NONE/);
  });

  test.each(['ws', 'raw'])('%s: a certificate of a CA nginx does not trust fails under one TLS class too', async (transport) => {
    const before = logged();
    const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', nginx.url, '--ca', pki.ca, '--cert', pki.strangerCert, '--key', pki.strangerKey, '--transport', transport, ...run]);
    expect(r.summary!.connections).toMatchObject({ attempted: N, succeeded: 0, failed: N });
    const classes = Object.entries(r.summary!.connections.errors);
    expect(classes).toHaveLength(1);
    expect(classes).toEqual([['TLS ERR_TLS_CLIENT_CERT_REFUSED', N]]);
    const lines = await newLines(before, N);
    expect(lines).toHaveLength(N);
    for (const l of lines) expect(l).toMatch(/^400 FAILED:/);
  });
});

describe('other refusals over wss:// keep their HTTP class (the body is read only to name a certificate refusal)', () => {
  test.each([['ws', 400], ['raw', 400], ['ws', 401], ['raw', 401]])('%s: a %d from a server that is not nginx keeps its HTTP class', async (transport, status) => {
    const p = pki;
    const server = await startFaultServer({ tls: { key: fs.readFileSync(p.serverKey, 'utf8'), cert: fs.readFileSync(p.serverCert, 'utf8') }, auth: { tokens: ['only-this'], status: status as number } });
    try {
      const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', server.url, '--ca', p.ca, '--transport', transport as string, ...run]);
      expect(r.summary!.connections).toMatchObject({ attempted: N, failed: N, errors: { [`HTTP ${status}`]: N } });
      expect(server.counts.unauthorized).toBe(N);
    } finally {
      await server.close();
    }
  });
});
