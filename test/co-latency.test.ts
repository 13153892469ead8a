import { runCli, writeScenario } from './helpers';
import { CO_SCENARIO as SCENARIO, RATE, STALL_MS, VUS } from './servers/co-scenario';
import { startStallingAckServer } from './servers/stalling-ack-server';

/**
 * Coordinated omission, shown by a real stall: a client that waits for each ack before its next
 * send (one in flight, as a request/response client does) against a server that holds every ack
 * for 2 s mid-run (test/servers/stalling-ack-server.ts). The sends planned during the stall leave
 * late, so their round trip from the actual send is short: only one message per VU waited the
 * stall, and the actual-send P99 hides it. From the plan (`pace`'s planned time, `ackRttFromPlanMs`)
 * every one of them waited: the P99 shows the stall.
 */

test('a 2 s ack stall: the P99 from the plan shows it (>= ~2 s), the P99 from the actual send hides it', async () => {
  // the stall starts a second into the sending (VUS × RATE sends a second)
  const server = await startStallingAckServer({ afterSends: VUS * RATE, stallMs: STALL_MS });
  try {
    const file = writeScenario(SCENARIO);
    const r = await runCli('runner', ['run', file, '--target', server.url]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const m = r.summary!.messages;
    const stalled = server.stall.endedAt! - server.stall.startedAt!;
    console.log(`server: ${server.counts.sends} sends, ${server.counts.acked} acked, ${server.counts.heldDuringStall} held for ${stalled} ms; ` +
      `ackRttMs p50 ${m.ackRttMs.p50} p99 ${m.ackRttMs.p99} max ${m.ackRttMs.max}; ackRttFromPlanMs p50 ${m.ackRttFromPlanMs.p50} p99 ${m.ackRttFromPlanMs.p99} max ${m.ackRttFromPlanMs.max}`);
    expect(stalled).toBeGreaterThanOrEqual(STALL_MS);
    // one held ack per VU: the client had one request in flight when the stall began
    expect(server.counts.heldDuringStall).toBe(VUS);
    expect(m.acked).toBe(server.counts.acked);
    expect(m.sent).toBe(server.counts.sends);
    expect(m.ackRttFromPlanMs.count).toBe(m.ackRttMs.count);
    // the stall in the figures: the actual-send P99 below a quarter of it, the plan's at ~2 s or more
    expect(m.ackRttMs.max!).toBeGreaterThanOrEqual(STALL_MS * 0.9);
    expect(m.ackRttMs.p99!).toBeLessThan(STALL_MS / 4);
    expect(m.ackRttFromPlanMs.p99!).toBeGreaterThanOrEqual(STALL_MS * 0.9);
    // the report prints them side by side
    expect(r.stdout).toMatch(/Ack RTT \(ms\) P50\/P99:[^\n]*\n {2}from the plan: P50 [\d.]+ {3}P99 [\d.]+/);
  } finally {
    await server.close();
  }
});
