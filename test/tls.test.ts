import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startFaultServer } from './fault-server';
import { CONNECT_ONLY as scenario, runAgainst, runCli, tmpDir } from './helpers';

/**
 * wss:// targets: a certificate the runner cannot verify fails as its own class (`TLS <code>`),
 * `--insecure` accepts a self-signed one, `--ca` trusts a private CA. Certificates are made here
 * with openssl, valid for two days.
 */
const ten = ['--conns', '10', '--duration', '1500ms', '--ramp', '500ms', '--ping-interval', '500ms'];
const dir = tmpDir('wsbench-tls-');
const file = (name: string): string => path.join(dir, name);
const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A leaf certificate for `san`, signed by the test CA. */
function leaf(name: string, san: string): { key: string; cert: string } {
  fs.writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\n`);
  openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  return { key: fs.readFileSync(file(`${name}.key`), 'utf8'), cert: fs.readFileSync(file(`${name}.pem`), 'utf8') };
}

let selfSigned: { key: string; cert: string };
let signed: { key: string; cert: string };
let wrongName: { key: string; cert: string };

beforeAll(() => {
  openssl('req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1');
  selfSigned = { key: fs.readFileSync(file('self.key'), 'utf8'), cert: fs.readFileSync(file('self.pem'), 'utf8') };
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=wsbench test CA');
  signed = leaf('server', 'IP:127.0.0.1');
  wrongName = leaf('elsewhere', 'DNS:elsewhere.example');
});

async function runTls(tls: { key: string; cert: string }, flags: string[]): ReturnType<typeof runAgainst> {
  const r = await runAgainst({ tls }, [...ten, ...flags]);
  expect(r.server.url).toMatch(/^wss:\/\//);
  return r;
}

describe('wss:// and certificates', () => {
  test('a self-signed certificate fails as "TLS DEPTH_ZERO_SELF_SIGNED_CERT" without --insecure', async () => {
    const { s, stdout, server } = await runTls(selfSigned, []);
    expect(s.connections).toMatchObject({ attempted: 10, succeeded: 0, failed: 10, errors: { 'TLS DEPTH_ZERO_SELF_SIGNED_CERT': 10 } });
    expect(server.counts.upgrades).toBe(0); // it never got as far as the upgrade
    expect(stdout).toContain('TLS DEPTH_ZERO_SELF_SIGNED_CERT  → TLS handshake failed: use --ca for a private CA or --insecure');
  });

  test('and succeeds with --insecure: connections, pings and pongs as over ws://', async () => {
    const { s, server } = await runTls(selfSigned, ['--insecure']);
    expect(s.connections).toMatchObject({ attempted: 10, succeeded: 10, failed: 0, disconnected: 0, final: 10 });
    expect(server.counts.accepted).toBe(10);
    expect(s.heartbeat.pingsSent).toBe(server.counts.pings);
    expect(s.heartbeat.pongRate).toBe(1);
  });

  test('a private CA: unknown without --ca ("TLS UNABLE_TO_VERIFY_LEAF_SIGNATURE"), trusted with it', async () => {
    const without = await runTls(signed, []);
    expect(without.s.connections).toMatchObject({ failed: 10, errors: { 'TLS UNABLE_TO_VERIFY_LEAF_SIGNATURE': 10 } });
    const withCa = await runTls(signed, ['--ca', file('ca.pem')]);
    expect(withCa.s.connections).toMatchObject({ attempted: 10, succeeded: 10, failed: 0 });
  });

  test('a certificate for another name fails as "TLS ERR_TLS_CERT_ALTNAME_INVALID" even with the right CA', async () => {
    const { s } = await runTls(wrongName, ['--ca', file('ca.pem')]);
    expect(s.connections).toMatchObject({ failed: 10, errors: { 'TLS ERR_TLS_CERT_ALTNAME_INVALID': 10 } });
  });

  test('wss:// to a server that speaks plain ws:// fails under a TLS class', async () => {
    const server = await startFaultServer({});
    try {
      const r = await runCli('runner', ['run', scenario, '--target', server.url.replace('ws://', 'wss://'), ...ten]);
      const errors = Object.keys(r.summary!.connections.errors);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^TLS /);
      expect(r.summary!.connections.failed).toBe(10);
    } finally {
      await server.close();
    }
  });

  test('--ca with a file that is not a PEM certificate is bad input', async () => {
    fs.writeFileSync(file('not-a-cert.txt'), 'hello\n');
    const r = await runCli('runner', ['run', scenario, '--ca', file('not-a-cert.txt')], { noExport: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`--ca: ${file('not-a-cert.txt')} is not a PEM certificate (expected a "-----BEGIN CERTIFICATE-----" block)`);
  });
});
