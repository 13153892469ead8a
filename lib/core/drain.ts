import type { ResolvedOptions } from '../scenario/types';

/**
 * THE DRAIN RULE (both engines: runner/executor.ts `drainAndClose`, lib/k6/vu.ts `finish`): when
 * a VU's planned life ends, its timers stop; attempts in flight and pings awaiting their pong get
 * until their own timeouts (the longer of connectTimeout and pongTimeout) plus DRAIN_SLACK_MS for
 * their last events to arrive, so that no measurement is cut off; a ping unanswered within its
 * pong timeout counts as lost then, and the drain ends as soon as nothing is in flight
 * (`ConnectionState.inFlight`). Then every connection is closed with code
 * 1000: CLOSE_HANDSHAKE_MS for the close handshakes, CLOSE_FORCE_MS more for forced closes.
 */
export const DRAIN_SLACK_MS = 500;
export const CLOSE_HANDSHAKE_MS = 3000;
export const CLOSE_FORCE_MS = 1000;

type Timeouts = Pick<ResolvedOptions, 'connectTimeoutMs' | 'pongTimeoutMs'>;

/** How long the drain waits at most, in ms. */
export function drainMs(o: Timeouts): number {
  return Math.max(o.connectTimeoutMs, o.pongTimeoutMs) + DRAIN_SLACK_MS;
}

/**
 * The whole end of a VU's life at most: the drain, the close handshakes, the forced closes, and
 * slack. The k6 bundle's `gracefulStop` (past it, k6 interrupts the iteration).
 */
export function endGraceMs(o: Timeouts): number {
  return drainMs(o) + CLOSE_HANDSHAKE_MS + CLOSE_FORCE_MS + DRAIN_SLACK_MS;
}
