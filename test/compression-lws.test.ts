import { hasLws, startLws } from './lws-server';
import { runCli, writeScenario } from './helpers';

/**
 * permessage-deflate against a server no one here wrote: Debian's libwebsockets test server
 * (test/lws-server.ts). The runner's wire and payload bytes equal the server's own log of its
 * writes and reads, exactly. Skips with one line where the package is not installed (.ci/run installs it).
 */
const MESSAGES = 5;
const TEXT = 'hello world '.repeat(50); // 600 bytes, compressible
const file = (): string =>
  writeScenario(`import { hold, ramp } from 'wsbench';
export const options = { stages: [ramp('0s', 1), hold('1s')], compression: true, protocols: ['lws-status'] };
export default function (vu) {
  const s = vu.connect();
  s.addEventListener('open', () => { for (let i = 0; i < ${MESSAGES}; i++) s.send(${JSON.stringify(TEXT)}); });
}
`);

const maybe = hasLws() ? describe : describe.skip;
if (!hasLws()) process.stderr.write('compression-lws: skipped (no /usr/bin/libwebsockets-test-server: apt-get install libwebsockets-test-server)\n');

maybe('compression against libwebsockets-test-server', () => {
  it('negotiates permessage-deflate; wire bytes are the server\'s own, and fewer than the payload', async () => {
    const lws = await startLws();
    try {
      const r = await runCli('runner', ['run', file(), '--target', lws.url]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      const b = r.summary!.bytes;
      const c = lws.counts();
      // the server inflated exactly what the runner sent: permessage-deflate was negotiated, and every byte arrived
      expect(c.inflated).toBe(MESSAGES * TEXT.length);
      expect(b.payloadSent).toBe(c.inflated);
      expect(c.framesIn).toHaveLength(MESSAGES);
      // on the wire: each frame's compressed payload + 2 header bytes + 4 of mask, then the close frame (2 + 4 + 2 + "run ended")
      const compressed = c.framesIn.reduce((a, n) => a + n, 0);
      expect(b.wireSent).toBe(compressed + MESSAGES * 6 + 17);
      // what it wrote: the 101 answer, its status frame(s), then its echo of the close (2 + 2 + "run ended"), which the runner never reads
      expect(c.writes.at(-1)).toBe(13);
      expect(b.wireReceived).toBe(c.writes.slice(1, -1).reduce((a, n) => a + n, 0));
      expect(r.summary!.messages.frames.received).toBeGreaterThanOrEqual(1);
      expect(b.wireSent!).toBeLessThan(b.payloadSent! / 4);
      expect(b.wireReceived!).toBeLessThan(b.payloadReceived!);
      console.log(`lws: runner wire sent/received ${b.wireSent}/${b.wireReceived}, payload ${b.payloadSent}/${b.payloadReceived}; `
        + `server inflated ${c.inflated}, compressed frames read ${c.framesIn.join('+')}, writes ${c.writes.join(', ')}`);
    } finally {
      await lws.stop();
    }
  }, 60_000);
});
