import fs from 'node:fs';
import path from 'node:path';
import { startFaultServer } from './fault-server';
import { ROOT, readSummary, runCli, tmpDir, waitForPoint } from './helpers';

/**
 * Ctrl-C (SIGINT) or SIGTERM mid-run: no new VUs, connections closed, the summary of what was
 * measured printed and saved (marked interrupted), exit 130; a second one exits at once.
 */
const scenario = path.join(ROOT, 'scenarios', 'connect-only.ts');
// 200 VUs over 10 s: the signal comes once 50 are open, long before the ramp ends
const slowRamp = ['--conns', '200', '--duration', '12s', '--ramp', '10s', '--ping-interval', '1s'];

async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('interrupts', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s mid-run: exit 130, the counts so far printed and saved, marked interrupted', async (signal) => {
    const server = await startFaultServer({});
    try {
      let pid = 0;
      const running = runCli('runner', ['run', scenario, '--target', server.url, ...slowRamp], { onSpawn: (p) => (pid = p) });
      await until(() => server.counts.accepted >= 50);
      process.kill(pid, signal);
      const r = await running;
      expect(r.code).toBe(130);
      const s = r.summary!;
      expect(s.interrupted).toBe(true);
      const c = s.connections;
      expect(c.attempted).toBeGreaterThanOrEqual(50);
      expect(c.attempted).toBeLessThan(200); // no VU started after the signal
      expect(s.vus.started).toBe(c.attempted);
      expect(c.succeeded + c.failed + c.aborted).toBe(c.attempted);
      expect(c.failed).toBe(0);
      expect(c.disconnected).toBe(0); // closed by the runner, not lost
      expect(c.final).toBe(c.succeeded); // open when the run stopped
      expect(c.succeeded).toBeLessThanOrEqual(server.counts.accepted);
      // the results folder holds the same summary
      const saved = readSummary(r.outDir);
      expect(saved.connections).toEqual(s.connections);
      expect(saved.interrupted).toBe(true);
      expect(r.stdout).toContain('*** INTERRUPTED: partial results ***');
      expect(r.stderr).toContain('interrupted: stopping VUs and closing connections');
    } finally {
      await server.close();
    }
  });

  test('a second SIGINT exits at once with 130, printing the counts of the last snapshot', async () => {
    // the server stops reading, so the orderly close after the first SIGINT would wait for close handshakes
    const server = await startFaultServer({ stopReading: true });
    try {
      let pid = 0;
      let stderr = '';
      let onStderr = (): void => undefined;
      const points = path.join(tmpDir(), 'points.ndjson');
      const running = runCli('runner', ['run', scenario, '--target', server.url, ...slowRamp, '--out', `json=${points}`], {
        onSpawn: (p) => (pid = p),
        onStderr: (text) => {
          stderr += text;
          onStderr();
        },
      });
      // the runner has merged a second with 50 open: its latest snapshots hold them
      await waitForPoint(points, 'ws_connections_open', (open) => open >= 50);
      process.kill(pid, 'SIGINT');
      // its own line says the first SIGINT was handled: the next one is the second press
      await new Promise<void>((resolve) => {
        onStderr = () => (stderr.includes('interrupted: stopping VUs') ? resolve() : undefined);
        onStderr();
      });
      process.kill(pid, 'SIGINT');
      const r = await running;
      expect(r.code).toBe(130);
      expect(r.stdout).toContain('*** INTERRUPTED: partial results ***');
      const attempted = Number(/Attempted:\s+(\d+)/.exec(r.stdout)?.[1]);
      expect(attempted).toBeGreaterThanOrEqual(50);
      expect(attempted).toBeLessThan(200);
      // it quit before the orderly end (which writes the results folder), and wrote the summary export
      expect(fs.existsSync(path.join(r.outDir, 'summary.json'))).toBe(false);
      expect(r.summary?.interrupted).toBe(true);
      expect(r.summary?.connections.attempted).toBe(attempted);
    } finally {
      await server.close();
    }
  });
});
