import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FaultServer, startFaultServer } from './fault-server';
import { tmpDir } from './helpers';
import { both, Outcome, ProbeOptions } from './raw-ws-probe';

/**
 * Differential, part 3: wss:// through `ws` and RawWebSocket with the same TLS options (the
 * runner's rejectUnauthorized / ca), the same failure classes, and the TLS phase named when the
 * handshake never completes. Certificates made here with openssl, valid two days.
 */
const dir = tmpDir('wsbench-raw-tls-');
const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};
const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
let self: { key: string; cert: string };
let ca: string;
let signed: { key: string; cert: string };
let wrongName: { key: string; cert: string };

function leaf(name: string, san: string): { key: string; cert: string } {
  fs.writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
  openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  return { key: read(`${name}.key`), cert: read(`${name}.pem`) };
}

beforeAll(() => {
  openssl('req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1');
  self = { key: read('self.key'), cert: read('self.pem') };
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=wsbench raw test CA');
  ca = read('ca.pem');
  signed = leaf('server', 'IP:127.0.0.1');
  wrongName = leaf('elsewhere', 'DNS:elsewhere.example');
});

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function tlsCase(cert: { key: string; cert: string }, probe: ProbeOptions): Promise<{ ws: Outcome; raw: Outcome }> {
  server = await startFaultServer({ tls: cert });
  const r = await both(server.url, { closeAfterMs: 10, ...probe });
  expect(r.raw).toEqual(r.ws);
  return r;
}

test('a self-signed certificate, verified: "TLS DEPTH_ZERO_SELF_SIGNED_CERT" after TCP, before TLS is up', async () => {
  const { ws } = await tlsCase(self, { tls: { rejectUnauthorized: true } });
  expect(ws).toMatchObject({ attempt: 'TLS DEPTH_ZERO_SELF_SIGNED_CERT', tcpUp: true, transportUp: false, closeCode: 1006 });
});

test('a self-signed certificate, not verified (--insecure): open', async () => {
  const { ws } = await tlsCase(self, { tls: { rejectUnauthorized: false } });
  expect(ws).toMatchObject({ attempt: 'open', transportUp: true, closeCode: 1000 });
});

test('a certificate of a private CA, with that CA (--ca): open; without it: "TLS UNABLE_TO_VERIFY_LEAF_SIGNATURE"', async () => {
  const good = await tlsCase(signed, { tls: { rejectUnauthorized: true, ca } });
  expect(good.ws).toMatchObject({ attempt: 'open', closeCode: 1000 });
  await server?.close();
  const bad = await tlsCase(signed, { tls: { rejectUnauthorized: true } });
  expect(bad.ws.attempt).toBe('TLS UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('a certificate for another name, with the right CA: "TLS ERR_TLS_CERT_ALTNAME_INVALID"', async () => {
  const { ws } = await tlsCase(wrongName, { tls: { rejectUnauthorized: true, ca } });
  expect(ws.attempt).toBe('TLS ERR_TLS_CERT_ALTNAME_INVALID');
});

test('a server that accepts TCP and never speaks TLS: "TLS timeout"', async () => {
  const quiet = net.createServer((s) => s.on('error', () => undefined));
  const held: net.Socket[] = [];
  quiet.on('connection', (s) => held.push(s));
  await new Promise<void>((r) => quiet.listen(0, '127.0.0.1', r));
  const url = `wss://127.0.0.1:${(quiet.address() as net.AddressInfo).port}/ws`;
  try {
    const r = await both(url, { connectTimeoutMs: 300, tls: { rejectUnauthorized: false } });
    expect(r.raw).toEqual(r.ws);
    expect(r.ws).toMatchObject({ attempt: 'TLS timeout', tcpUp: true, transportUp: false, closeCode: 1006 });
  } finally {
    for (const s of held) s.destroy();
    await new Promise((r) => quiet.close(r));
  }
});

test('wss:// to a server speaking plain HTTP: the same TLS class', async () => {
  server = await startFaultServer({});
  const r = await both(server.url.replace('ws://', 'wss://'), { tls: { rejectUnauthorized: false } });
  expect(r.raw).toEqual(r.ws);
  expect(r.ws.attempt).toMatch(/^TLS /);
});
