import { M } from '../core/metric-names';
import type { MetricsSnapshot } from '../metrics/registry';
import type { Stats } from './stats';
import { summaryStats } from './stats';

/**
 * The `messages` block of the summary JSON. `sent`, `received`, `lost` and `latencyMs` are the
 * contract of docs/architecture.md; the rest is added. Counts are messages of the IM protocol as the scenario
 * reports them through `MessageMeter` (WebSocket frames are under `frames`).
 */
export interface MessagesSummary {
  /** Messages sent. */
  sent: number;
  /** Deliveries received, duplicates included. */
  received: number;
  /** Expected deliveries that never arrived once the run drained: expected − delivered, never below 0. */
  lost: number;
  /** Delivery latency, send (sender's wall clock) to arrival (receiver's wall clock), first copies only. */
  latencyMs: Stats;
  /** Delivery latency from the planned send time (paced sends that carried it; docs/messaging.md, "Latency from the plan"). */
  latencyFromPlanMs: Stats;
  /** Deliveries the senders expected: 1 per message to a peer, members − 1 per message to a room. */
  expected: number;
  /** Unique deliveries. */
  delivered: number;
  /** lost / expected; null when no delivery was expected. */
  lossRate: number | null;
  /** Messages whose ack came back within the timeout. */
  acked: number;
  /** Messages without an ack within the timeout or before their connection closed. */
  ackTimeouts: number;
  /** Deliveries of a message already delivered to the same connection. */
  duplicated: number;
  /** Deliveries that arrived after a later message of the same sender→receiver pair. */
  outOfOrder: number;
  /** Deliveries too far behind their pair's newest to be told from duplicates (counted as delivered). */
  stale: number;
  /** Messages per second while messages flowed (from each VU's first to last send / delivery); null with no span to divide by. */
  throughput: { sentPerSec: number | null; deliveredPerSec: number | null };
  /** Send → ack round trip. */
  ackRttMs: Stats;
  /** Planned send → ack: a send that left late waits the delay too, so a stalled generator or server cannot hide. */
  ackRttFromPlanMs: Stats;
  /** WebSocket data frames, whatever they carried (heartbeats excluded). */
  frames: { sent: number; received: number };
}

/**
 * Messages per second summed over actors (senders or receivers): each actor's rate is its events
 * less one over the span from its first to its last event; the summed spans give their mean. Exact
 * when the actors' spans are equal, as they are for paced senders. Null when there is no span (no
 * actor had two events): a rate with nothing to divide by is no figure, not 0.
 */
export function ratePerSec(events: number, actors: number, spanMsSum: number): number | null {
  if (actors <= 0 || spanMsSum <= 0 || events <= actors) return null;
  return Math.round(((actors * (events - actors)) / spanMsSum) * 1000 * 10) / 10;
}

/** Builds the `messages` block from the exact merge of every worker's totals. Pure. */
export function messagesSummary(totals: MetricsSnapshot): MessagesSummary {
  const c = (name: string): number => totals.counters[name] ?? 0;
  const sent = c(M.imSent);
  const expected = c(M.imExpected);
  const delivered = c(M.imDelivered);
  const duplicated = c(M.imDuplicated);
  const ackRttMs = summaryStats(totals, M.imAckRtt);
  const lost = Math.max(0, expected - delivered);
  return {
    sent,
    received: delivered + duplicated,
    lost,
    latencyMs: summaryStats(totals, M.msgLatency),
    latencyFromPlanMs: summaryStats(totals, M.msgLatencyFromPlan),
    expected,
    delivered,
    lossRate: expected > 0 ? Math.round((lost / expected) * 1e6) / 1e6 : null,
    acked: ackRttMs.count,
    ackTimeouts: c(M.imAckTimeouts),
    duplicated,
    outOfOrder: c(M.imOutOfOrder),
    stale: c(M.imStale),
    throughput: {
      sentPerSec: ratePerSec(sent, c(M.imSenders), c(M.imSendSpan)),
      deliveredPerSec: ratePerSec(delivered, c(M.imReceivers), c(M.imDeliverSpan)),
    },
    ackRttMs,
    ackRttFromPlanMs: summaryStats(totals, M.imAckRttFromPlan),
    frames: { sent: c(M.msgsSent), received: c(M.msgsReceived) },
  };
}
