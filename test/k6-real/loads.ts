import path from 'node:path';
import type { FaultOptions, FaultServer } from '../fault-server';
import type { Summary } from '../../lib/results/summary';
import { ROOT } from '../helpers';
import { byTag, K6Run, n, samples, total } from './k6-run';

/**
 * The four known-answer loads of the parity table (docs/k6.md, "Engine parity"), the same on both
 * engines: the stock messaging scenario with small stages, against the fault server of the test
 * suite (test/fault-server.ts), whose counts are exact. 20 VUs start 40 ms apart (so the server
 * sees them in VU order: the k-th upgrade is VU k - 1) and stay to 5.2 s; each pings every 2 s
 * (2 pings: the 2nd at most 4.8 s in, a 3rd would come after the end) and sends 4 messages to the
 * next user inside the peak window (lib/helpers/send-plan.ts).
 */

export const VUS = 20;
export const PINGS_PER_VU = 2;
export const MESSAGES_PER_VU = 4;

/** The scenario file of every load: scenarios/messaging.ts with these stages and settings. */
export const PARITY_SCENARIO = `export { default } from ${JSON.stringify(path.join(ROOT, 'scenarios', 'messaging.ts'))};
import { options as messaging } from ${JSON.stringify(path.join(ROOT, 'scenarios', 'messaging.ts'))};
import { hold, ramp, ScenarioOptions } from 'wsbench';
// the messaging scenario's own metrics, declared as it declares them (docs/scenarios.md, "Custom metrics")
export const options: ScenarioOptions = {
  metrics: messaging.metrics,
  stages: [ramp('800ms', ${VUS}), hold('4400ms')],
  pingInterval: '2s',
  pongTimeout: '500ms',
  mode: 'messaging',
  extra: { msgSize: 64, msgRate: 2, roomSize: 0 },
};
`;

export interface Load {
  name: string;
  /** The fault server's settings; every load also acks and delivers messages (`deliver`). */
  faults: FaultOptions;
  /** The known answer, worked out from the settings above (class names apart). */
  answer: Omit<Figures, 'failedBy' | 'disconnectedBy'>;
}

const all = (vus: number, pongs = vus * PINGS_PER_VU): Load['answer'] => ({
  attempted: VUS, succeeded: vus, failed: VUS - vus, disconnected: 0, connectLatencySamples: vus,
  pings: vus * PINGS_PER_VU, pongs, pongRate: pongs / (vus * PINGS_PER_VU),
  sent: vus * MESSAGES_PER_VU, acked: vus * MESSAGES_PER_VU, delivered: vus * MESSAGES_PER_VU, lost: 0,
});

export const LOADS: Load[] = [
  { name: 'handshake delayed 150 ms', faults: { upgradeDelayMs: 150 }, answer: all(VUS) },
  {
    name: 'every 5th upgrade rejected (HTTP 503)',
    faults: { rejectEvery: { k: 5, status: 503 } },
    // VUs 4, 9, 14, 19 are refused: the messages of VUs 3, 8, 13, 18 to them reach nobody
    answer: { ...all(16), lost: 4 * MESSAGES_PER_VU, delivered: 12 * MESSAGES_PER_VU },
  },
  { name: 'every 2nd ping answered', faults: { pongEvery: 2 }, answer: all(VUS, (VUS * PINGS_PER_VU) / 2) },
  {
    name: 'every 10th connection dropped (no close frame, 200 ms after open)',
    faults: { closeEvery: { k: 10, afterMs: 200, abrupt: true } },
    // VUs 9 and 19 drop before their first ping and message; those of VUs 8 and 18 to them reach nobody
    answer: {
      ...all(VUS), disconnected: 2, pings: 18 * PINGS_PER_VU, pongs: 18 * PINGS_PER_VU, pongRate: 1,
      sent: 18 * MESSAGES_PER_VU, acked: 18 * MESSAGES_PER_VU, delivered: 16 * MESSAGES_PER_VU, lost: 2 * MESSAGES_PER_VU,
    },
  },
];

/** The figures of one run, as the parity table shows them. */
export interface Figures {
  attempted: number;
  succeeded: number;
  failed: number;
  failedBy: Record<string, number>;
  disconnected: number;
  disconnectedBy: Record<string, number>;
  /** Samples of connect latency: the attempts that opened, on both engines. */
  connectLatencySamples: number;
  pings: number;
  pongs: number;
  pongRate: number | null;
  sent: number;
  acked: number;
  delivered: number;
  lost: number;
}

/** What the server itself counted. */
export function serverFigures(s: FaultServer, o: FaultOptions): Figures {
  const c = s.counts;
  const lost = c.dropped + c.unrouted;
  return {
    attempted: c.upgrades, succeeded: c.accepted, failed: c.rejected, failedBy: c.rejected > 0 ? { [`HTTP ${o.rejectEvery?.status}`]: c.rejected } : {},
    disconnected: c.closedByServer, disconnectedBy: c.closedByServer > 0 ? { [o.closeEvery?.abrupt ? 'dropped, no close frame' : `close ${o.closeEvery?.code ?? 1001}`]: c.closedByServer } : {},
    connectLatencySamples: c.accepted,
    pings: c.pings, pongs: c.pongs, pongRate: c.pings > 0 ? c.pongs / c.pings : null,
    sent: c.sends, acked: c.sends, delivered: c.sends - lost, lost,
  };
}

/** `runner run`'s figures, from its summary. */
export function nodeFigures(s: Summary): Figures {
  const c = s.connections;
  const m = s.messages;
  return {
    attempted: c.attempted, succeeded: c.succeeded, failed: c.failed, failedBy: { ...c.errors },
    disconnected: c.disconnected, disconnectedBy: { ...c.disconnectReasons },
    connectLatencySamples: s.connectLatencyMs.count,
    pings: s.heartbeat.pingsSent, pongs: s.heartbeat.pongsReceived, pongRate: s.heartbeat.pongRate,
    sent: m.sent, acked: m.acked, delivered: m.delivered, lost: m.lost,
  };
}

/** k6's figures, from its raw samples (`--out json`) of the bundle's metrics. */
export function k6Figures(r: K6Run): Figures {
  const rate = samples(r, 'ws_pong_rate');
  return {
    attempted: total(r, 'ws_connect_attempts'),
    succeeded: samples(r, 'ws_connect_success').filter((p) => p.value === 1).length,
    failed: total(r, 'ws_connect_errors'), failedBy: byTag(r, 'ws_connect_errors', 'error'),
    disconnected: total(r, 'ws_disconnects'), disconnectedBy: byTag(r, 'ws_disconnects', 'reason'),
    connectLatencySamples: n(r, 'ws_connect_latency'),
    pings: total(r, 'ws_pings_sent'), pongs: total(r, 'ws_pongs_received'),
    pongRate: rate.length > 0 ? rate.filter((p) => p.value === 1).length / rate.length : null,
    sent: total(r, 'im_sent'), acked: n(r, 'im_ack_rtt'), delivered: total(r, 'im_delivered'),
    lost: total(r, 'im_expected') - total(r, 'im_delivered'),
  };
}
