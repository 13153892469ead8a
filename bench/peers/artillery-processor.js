'use strict';
/**
 * Artillery processor for the peer comparison: holds each WebSocket open until the shared end of
 * the run and sends a protocol ping every PEERS_PING_MS, like wsbench's connect-only scenario.
 *
 * Why a processor: Artillery's ws engine closes a connection when its flow ends and has no
 * ping step, and a flow of fixed length would hold early connections longer than late ones.
 * The end is measured from the first VU of this worker (ramp + hold later), as wsbench's
 * stages are measured from its first VU.
 */
const RAMP_MS = Number(process.env.PEERS_RAMP_MS ?? 30000);
const HOLD_MS = Number(process.env.PEERS_HOLD_MS ?? 30000);
const PING_MS = Number(process.env.PEERS_PING_MS ?? 5000);

let endAt; // epoch ms, set by the first VU

/** First step of every VU: fixes the end of the run once per worker. */
function startClock(context, events, done) {
  endAt ??= Date.now() + RAMP_MS + HOLD_MS;
  return done();
}

/** One heartbeat period: waits until the next ping (or the end), then pings if the run goes on. */
function beat(context, events, done) {
  // PING_MS 0: the connect-only load, no heartbeat: one wait to the end
  const left = endAt - Date.now();
  const wait = Math.max(0, PING_MS > 0 ? Math.min(PING_MS, left) : left);
  setTimeout(() => {
    if (PING_MS > 0 && Date.now() < endAt && context.ws && context.ws.readyState === 1) {
      context.ws.ping();
      events.emit('counter', 'peers.pings_sent', 1);
    }
    done();
  }, wait);
}

/** Loop condition: go on beating until the end of the run. */
function beforeEnd(context, next) {
  return next(Date.now() < endAt);
}

module.exports = { startClock, beat, beforeEnd };
