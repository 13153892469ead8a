import { stormRun } from './storm';

/**
 * Disconnect waves end to end: 2,000 reconnecting VUs against the embedded server in this process,
 * restarted by its chaos switch (close 1001, refuse with 503 for 3 s). The wave's figures are
 * checked against the server's own counts, and the recovery against the backoff's bounds:
 * initial 500 ms, max 2 s, jitter 0.5. The first retry comes at 250-500 ms after the drop, inside
 * the 3 s refusal, so it fails; the second waits 500-1000 ms more: no VU is back before 0.75 s,
 * and each is back by the first retry after the refusal ends (at most 3 s + 2 s of waits, plus the
 * time its attempts took, which a shared machine stretches). Once every VU is back after the last
 * restart, the run is interrupted (Ctrl-C): the waves of an interrupted run are exact as well.
 */
const CONNS = 2000;
const DOWN_MS = 3000;
const BACKOFF = ['--reconnect', '--reconnect-initial', '500ms', '--reconnect-max', '2s', '--reconnect-jitter', '0.5'];

/**
 * Latest a VU can be back: the refusal (3 s), one more wait (at most the 2 s max), and the time its
 * last refused attempt and its reconnect took (the slowest reconnect stands for both), plus 1 s for
 * the close and the 503 to travel on a loaded machine.
 */
function upperBound(w: { reconnectLatencyMs?: { max: number | null } }): number {
  return DOWN_MS / 1000 + 2 + 2 * ((w.reconnectLatencyMs?.max ?? 0) / 1000) + 1;
}

/**
 * Earliest a VU can be back: its first wait (at least 250 ms); when every VU's first retry was
 * refused (the server saw it inside the refusal, as it does unless the machine lags by seconds),
 * the second wait adds at least 500 ms.
 */
function lowerBound(w: { failures?: number }): number {
  return (w.failures ?? 0) >= CONNS ? 0.75 : 0.25;
}

describe('disconnect waves under a server restart', () => {
  test('one restart under 2,000 reconnecting VUs: one wave, exactly the server\'s drops, recovery within the backoff', async () => {
    const { s, stats, dropped } = await stormRun({ conns: CONNS, restarts: 1, downMs: DOWN_MS, args: BACKOFF });
    expect(stats.restarts).toBe(1);
    expect(dropped).toEqual([CONNS]);
    expect(s.disconnectWaves).toHaveLength(1);
    const w = s.disconnectWaves[0]!;
    expect(w.dropped).toBe(stats.restartDropped);
    expect(w.classes).toEqual({ 'close 1001': CONNS });
    expect(s.connections.disconnected).toBe(CONNS);
    expect(w.recovered).toBe(CONNS);
    // every attempt either opened or was refused (503) by the server while it was down: exact
    expect(w.failures).toBe(stats.refused);
    expect(w.failureClasses).toEqual(stats.refused > 0 ? { 'HTTP 503': stats.refused } : {});
    expect(w.attempts).toBe(w.recovered! + w.failures!);
    const r = w.recoverySec!;
    expect(r.p50!).toBeGreaterThanOrEqual(lowerBound(w));
    expect(r.p50!).toBeLessThanOrEqual(r.p90!);
    expect(r.p90!).toBeLessThanOrEqual(r.p99!);
    expect(r.p99!).toBeLessThanOrEqual(upperBound(w));
    expect(w.reconnectLatencyMs!.count).toBe(CONNS);
    expect(s.connections.reconnects).toBe(w.attempts);
  });

  test('two restarts: two waves, each with exactly the drops of its restart', async () => {
    const { s, stats, dropped } = await stormRun({ conns: CONNS, restarts: 2, downMs: DOWN_MS, args: BACKOFF });
    expect(stats.restarts).toBe(2);
    expect(dropped).toEqual([CONNS, CONNS]);
    expect(s.disconnectWaves.map((w) => w.dropped)).toEqual(dropped);
    expect(s.disconnectWaves.map((w) => w.recovered)).toEqual([CONNS, CONNS]);
    const [a, b] = s.disconnectWaves;
    expect(b!.atSec).toBeGreaterThan(a!.endSec);
    expect(a!.failures! + b!.failures!).toBe(stats.refused);
    for (const w of s.disconnectWaves) {
      expect(w.attempts).toBe(w.recovered! + w.failures!);
      expect(w.recoverySec!.p50!).toBeGreaterThanOrEqual(lowerBound(w));
      expect(w.recoverySec!.p99!).toBeLessThanOrEqual(upperBound(w));
    }
  });
});
