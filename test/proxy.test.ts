import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFaultServer, FaultServer } from './fault-server';
import { CONNECT_ONLY, runCli } from './helpers';
import { makePki, Pki } from './servers/nginx-mtls';
import { freePort } from './servers/processes';
import { hasTinyproxy, startLanWsServer, startTinyproxy, Tinyproxy } from './servers/tinyproxy';

/**
 * HTTP CONNECT proxies (lib/node/proxy-connect.ts) through a real tinyproxy: every VU connects
 * through it, on both transports, for ws:// and wss:// (TLS inside the tunnel, the target's
 * certificate checked), and tinyproxy's own log counts each CONNECT; credentials in the proxy URL
 * become Proxy-Authorization and are printed nowhere; a refused proxy, or one that answers 407, is
 * one failure class and an ordinary summary. HTTP_PROXY/HTTPS_PROXY/NO_PROXY are read as Go's
 * net/http reads them, and --proxy wins over them.
 */
const N = 10;
const run = ['--conns', String(N), '--duration', '1500ms', '--ramp', '300ms', '--ping-interval', '500ms'];
const d = hasTinyproxy() ? describe : describe.skip;
if (!hasTinyproxy()) console.log('test/proxy.test.ts: skipped, no /usr/bin/tinyproxy (apt-get install tinyproxy)');
const PASSWORD = 'pr0xy-Secret-77';

let pki: Pki;
let plain: FaultServer;
let secure: FaultServer;
let open: Tinyproxy;
let guarded: Tinyproxy;

beforeAll(async () => {
  pki = makePki();
  plain = await startFaultServer({});
  secure = await startFaultServer({ tls: { key: fs.readFileSync(pki.serverKey, 'utf8'), cert: fs.readFileSync(pki.serverCert, 'utf8') } });
  open = await startTinyproxy();
  guarded = await startTinyproxy({ auth: { user: 'wsuser', password: PASSWORD } });
});
afterAll(async () => {
  await open?.stop();
  await guarded?.stop();
  await plain?.close();
  await secure?.close();
});

/** Every file of a results folder, as text. */
function folderText(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath ?? (e as { path: string }).path, e.name), 'utf8')).join('\n');
}

/** A non-loopback IPv4 address of this machine (the environment's proxies skip loopback, as Go's do). */
const lanAddress = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

d('HTTP CONNECT proxy', () => {
  test.each([['ws', 'ws'], ['raw', 'ws'], ['ws', 'wss'], ['raw', 'wss']])('--transport %s, %s://: all connect through tinyproxy, its log counts each', async (transport, scheme) => {
    const server = scheme === 'ws' ? plain : secure;
    const authority = `127.0.0.1:${server.port}`;
    const [before, accepted] = [open.connects(authority), server.counts.accepted];
    const target = `${scheme}://${authority}/`;
    const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', target, '--proxy', open.url, '--ca', pki.ca, '--transport', transport, ...run]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.summary!.connections).toMatchObject({ attempted: N, succeeded: N, failed: 0 });
    expect(open.connects(authority) - before).toBe(N);
    expect(server.counts.accepted - accepted).toBe(N);
  });

  test('credentials in the proxy URL: 407 without them (one class), all through with them, the password printed nowhere', async () => {
    const authority = `127.0.0.1:${plain.port}`;
    const target = `ws://${authority}/`;
    const without = await runCli('runner', ['run', CONNECT_ONLY, '--target', target, '--proxy', guarded.url, ...run]);
    expect(without.summary!.connections).toMatchObject({ attempted: N, failed: N, errors: { 'proxy HTTP 407': N } });
    expect(without.stdout).toContain('proxy HTTP 407  → the proxy wants credentials');
    const before = guarded.connects(authority);
    const proxy = `http://wsuser:${PASSWORD}@127.0.0.1:${guarded.port}`;
    const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', target, '--proxy', proxy, '--transport', 'raw', ...run]);
    expect(r.summary!.connections).toMatchObject({ attempted: N, succeeded: N, failed: 0 });
    expect(guarded.connects(authority) - before).toBe(N);
    const everything = r.stdout + r.stderr + folderText(r.outDir) + JSON.stringify(r.summary);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(`wsuser:${PASSWORD}`).toString('base64'));
  });

  test('a refused proxy is one failure class ("proxy ECONNREFUSED") in an ordinary summary, on both transports', async () => {
    const nobody = await freePort();
    for (const transport of ['ws', 'raw']) {
      const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', `ws://127.0.0.1:${plain.port}/`, '--proxy', `http://127.0.0.1:${nobody}`, '--transport', transport, ...run]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.summary!.connections).toMatchObject({ attempted: N, succeeded: 0, failed: N, errors: { 'proxy ECONNREFUSED': N } });
      expect(r.stdout).toContain('proxy ECONNREFUSED  → the proxy (--proxy, or HTTP_PROXY/HTTPS_PROXY) could not be reached');
    }
  });

  test('--proxy wins over HTTP_PROXY; loopback targets skip the environment\'s proxy', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const authority = `127.0.0.1:${plain.port}`;
    const before = open.connects(authority);
    const flagged = await runCli('runner', ['run', CONNECT_ONLY, '--target', `ws://${authority}/`, '--proxy', open.url, ...run], { env: { HTTP_PROXY: nobody } });
    expect(flagged.summary!.connections).toMatchObject({ attempted: N, succeeded: N });
    expect(open.connects(authority) - before).toBe(N);
    const direct = await runCli('runner', ['run', CONNECT_ONLY, '--target', `ws://${authority}/`, ...run], { env: { HTTP_PROXY: open.url } });
    expect(direct.summary!.connections).toMatchObject({ attempted: N, succeeded: N });
    expect(open.connects(authority) - before).toBe(N); // not one more CONNECT
  });

  (lanAddress ? test : test.skip)('HTTP_PROXY takes a non-loopback ws:// target through tinyproxy: its log counts every VU', async () => {
    const lan = await startLanWsServer(lanAddress as string);
    try {
      const before = open.connects(lan.authority);
      const r = await runCli('runner', ['run', CONNECT_ONLY, '--target', lan.url, ...run], { env: { HTTP_PROXY: open.url, NO_PROXY: 'example.com' } });
      expect(r.summary!.connections).toMatchObject({ attempted: N, succeeded: N, failed: 0 });
      expect(open.connects(lan.authority) - before).toBe(N);
      expect(lan.accepted()).toBe(N);
    } finally {
      await lan.close();
    }
  });

  (lanAddress ? test : test.skip)('HTTP_PROXY is used for a non-loopback ws:// target, and NO_PROXY sends it direct', async () => {
    const closed = await freePort();
    const target = `ws://${lanAddress}:${closed}/`;
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const proxied = await runCli('runner', ['run', CONNECT_ONLY, '--target', target, ...run], { env: { HTTP_PROXY: nobody, NO_PROXY: '' } });
    expect(proxied.summary!.connections.errors).toEqual({ 'proxy ECONNREFUSED': N });
    const skipped = await runCli('runner', ['run', CONNECT_ONLY, '--target', target, ...run], { env: { HTTP_PROXY: nobody, NO_PROXY: `example.com,${lanAddress}` } });
    expect(Object.keys(skipped.summary!.connections.errors)).not.toContain('proxy ECONNREFUSED');
    expect(skipped.summary!.connections).toMatchObject({ attempted: N, failed: N });
  });
});
