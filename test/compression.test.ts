import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDeflateServer } from './deflate-server';
import { ROOT, runCli, spawnedBadInputLine, tmpDir, writeScenario } from './helpers';

/**
 * permessage-deflate (`options.compression`, docs/transport.md "Compression") against a real `ws`
 * server that negotiates it (test/deflate-server.ts): the summary's wire and payload bytes equal
 * the server's own counts from its sockets, exactly, and compressible payloads take fewer bytes
 * on the wire than they hold. test/compression-lws.test.ts does the same against Debian's libwebsockets.
 */

const VUS = 3;
const MESSAGES = 10;
/** Each VU sends MESSAGES JSON messages of ~1.2 KB of repeated text; the server echoes each. */
const scenario = (compression: boolean): string =>
  writeScenario(`import { hold, ramp } from 'wsbench';
export const options = { stages: [ramp('0s', ${VUS}), hold('2s')], compression: ${compression} };
export default function (vu) {
  const s = vu.connect();
  s.addEventListener('open', () => {
    for (let i = 0; i < ${MESSAGES}; i++) s.send(JSON.stringify({ type: 'note', seq: i, vu: vu.id, text: 'hello world '.repeat(100) }));
  });
}
`);

const show = (what: string, b: { wireSent: number | null; wireReceived: number | null; payloadSent: number | null; payloadReceived: number | null },
  c: { wireIn: number; wireOut: number; payloadIn: number; payloadOut: number }): void =>
  console.log(`${what}: runner wire sent/received ${b.wireSent}/${b.wireReceived}, payload ${b.payloadSent}/${b.payloadReceived}; `
    + `server wire read/written ${c.wireIn}/${c.wireOut}, payload ${c.payloadIn}/${c.payloadOut}`);

async function runAgainstDeflate(compression: boolean, serverCompresses: boolean, tls?: { key: string; cert: string }, flags: string[] = []) {
  const server = await startDeflateServer(serverCompresses, tls);
  try {
    const r = await runCli('runner', ['run', scenario(compression), '--target', server.url, ...(tls ? ['--insecure'] : []), ...flags]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    await server.closed(VUS);
    show(`compression ${compression}, server ${serverCompresses ? 'takes it' : 'does not'}${tls ? ', wss' : ''}${flags.length ? `, ${flags.join(' ')}` : ''}`, r.summary!.bytes, server.counts());
    return { s: r.summary!, counts: server.counts() };
  } finally {
    await server.close();
  }
}

describe('compression: permessage-deflate against a ws server', () => {
  it('negotiates it, and the wire and payload bytes are the server\'s own counts', async () => {
    const { s, counts } = await runAgainstDeflate(true, true);
    expect(counts.connections).toBe(VUS);
    expect(counts.extensions).toEqual(Array(VUS).fill('permessage-deflate'));
    expect(s.messages.frames).toEqual({ sent: VUS * MESSAGES, received: VUS * MESSAGES });
    const b = s.bytes;
    expect(b.payloadSent).toBe(counts.payloadIn);
    expect(b.payloadReceived).toBe(counts.payloadOut);
    expect(b.wireSent).toBe(counts.wireIn);
    expect(b.wireReceived).toBe(counts.wireOut);
    // repeated text compresses: far fewer bytes on the wire than in the payloads
    expect(b.wireSent!).toBeLessThan(b.payloadSent! / 4);
    expect(b.wireReceived!).toBeLessThan(b.payloadReceived! / 4);
    expect(b.compressedConnections).toBe(VUS);
    expect(b.ratioSent).toBeCloseTo(b.wireSent! / b.payloadSent!, 4);
    expect(b.ratioReceived).toBeCloseTo(b.wireReceived! / b.payloadReceived!, 4);
  }, 60_000);

  it('without it, nothing is negotiated and the wire holds every payload byte plus the frame headers', async () => {
    const { s, counts } = await runAgainstDeflate(false, true);
    expect(counts.extensions).toEqual(Array(VUS).fill(''));
    const b = s.bytes;
    expect(b.compressedConnections).toBeNull(); // not offered
    expect(b.wireSent).toBe(counts.wireIn);
    expect(b.wireReceived).toBe(counts.wireOut);
    expect(b.payloadSent).toBe(counts.payloadIn);
    // each data frame here is 126..65535 bytes: 2 + 2 header bytes, + 4 of mask from the client; its close frame: 2 + 4 + 2 + 9 ("run ended")
    const perVuPayload = b.payloadSent! / VUS;
    expect(b.wireSent).toBe(VUS * (perVuPayload + MESSAGES * 8 + 17));
    expect(b.wireReceived).toBe(b.payloadReceived! + VUS * MESSAGES * 4);
    expect(b.ratioSent!).toBeGreaterThan(1);
  }, 60_000);

  it('a server that does not take it: 0 connections compressed, and every byte still counted', async () => {
    const { s, counts } = await runAgainstDeflate(true, false);
    expect(counts.extensions).toEqual(Array(VUS).fill(''));
    expect(s.bytes.compressedConnections).toBe(0);
    expect([s.bytes.wireSent, s.bytes.wireReceived]).toEqual([counts.wireIn, counts.wireOut]);
    expect(s.bytes.ratioSent!).toBeGreaterThan(1);
  }, 60_000);

  it('runner run --compression against the embedded server: it takes deflate, and every message is delivered', async () => {
    const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', 'messaging.ts'), '--conns', '10', '--ramp', '1s', '--duration', '4s', '--msg-rate', '5',
      '--msg-size', '512', '--compression']);
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.bytes.compressedConnections).toBe(10);
    expect(s.messages.lost).toBe(0);
    expect(s.messages.delivered).toBe(s.messages.expected);
    expect(s.bytes.wireSent!).toBeLessThan(s.bytes.payloadSent! / 2); // the padding of --msg-size compresses
    expect(r.stdout).toContain('Compressed:     10 of 10 connections (permessage-deflate taken)');
  }, 60_000);

  it('the raw transport counts the same bytes as the server', async () => {
    const { s, counts } = await runAgainstDeflate(false, true, undefined, ['--transport', 'raw']);
    expect([s.bytes.wireSent, s.bytes.wireReceived, s.bytes.payloadSent, s.bytes.payloadReceived]).toEqual([counts.wireIn, counts.wireOut, counts.payloadIn, counts.payloadOut]);
    expect(s.bytes.payloadSent).toBeGreaterThan(0);
  }, 60_000);

  it('over wss:// the counts are the TLS sockets\' cleartext, the same on both sides', async () => {
    const dir = tmpDir('wsbench-deflate-tls-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem',
      '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'pipe' });
    const tls = { key: fs.readFileSync(path.join(dir, 'k.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'c.pem'), 'utf8') };
    const { s, counts } = await runAgainstDeflate(true, true, tls);
    expect(counts.extensions).toEqual(Array(VUS).fill('permessage-deflate'));
    expect([s.bytes.wireSent, s.bytes.wireReceived, s.bytes.payloadSent, s.bytes.payloadReceived]).toEqual([counts.wireIn, counts.wireOut, counts.payloadIn, counts.payloadOut]);
    expect(s.bytes.wireSent!).toBeLessThan(s.bytes.payloadSent! / 4);
  }, 60_000);

  it('refuses compression with transport raw in one line, before the run', async () => {
    const line = await spawnedBadInputLine('runner', ['run', scenario(true), '--transport', 'raw', '--target', 'ws://127.0.0.1:1/']);
    expect(line).toBe('compression is not supported with transport raw (it offers no permessage-deflate): use --transport ws');
  }, 30_000);
});
