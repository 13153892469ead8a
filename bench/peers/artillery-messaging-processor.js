'use strict';
/**
 * Artillery processor for the bench/peers messaging load: the same frames as wsbench's messaging
 * scenario (scenarios/messaging.ts), user n → user n+1, RATE per second for SEND_MS, from 1 s after
 * the ramp, each VU offset by a share of the period; held to the common end (ramp + hold from
 * the first VU). Acks and deliveries are counted per VU and reported once at its end
 * (peers.acks, peers.delivered), sends as peers.msgs_sent: Artillery's own counters.
 *
 * Users are numbered per Artillery worker; with 2 CPUs Artillery runs one worker, so 0..CONNS-1.
 */
const RAMP_MS = Number(process.env.PEERS_RAMP_MS ?? 10000);
const HOLD_MS = Number(process.env.PEERS_HOLD_MS ?? 33000);
const CONNS = Number(process.env.PEERS_CONNS ?? 1000);
const RATE = Number(process.env.PEERS_RATE ?? 10);
const SIZE = Number(process.env.PEERS_SIZE ?? 256);
const SEND_MS = Number(process.env.PEERS_SEND_MS ?? 30000);

let nextUser = 0;
let t0; // epoch ms of the first VU of this worker

function frame(to, seq) {
  const start = `{"type":"send","to":"${to}","id":"${seq}","ts":${Math.round(Date.now() * 1000) / 1000},"body":"`;
  return `${start}${'x'.repeat(Math.max(0, SIZE - start.length - 2))}"}`;
}

/** connect.function: the user this VU connects as. */
function nameUser(wsArgs, context, done) {
  const uid = nextUser++;
  context.vars.uid = uid;
  wsArgs.target = `${wsArgs.target}?uid=${uid}`;
  done();
}

function startClock(context, events, done) {
  t0 ??= Date.now();
  done();
}

function converse(context, events, done) {
  const uid = context.vars.uid;
  const ws = context.ws;
  const period = 1000 / RATE;
  const count = Math.floor((SEND_MS / 1000) * RATE);
  const firstAt = t0 + RAMP_MS + 1000 + ((uid % CONNS) / CONNS) * period;
  const endAt = t0 + RAMP_MS + HOLD_MS;
  let acks = 0;
  let delivered = 0;
  ws.on('message', (data) => {
    // ws 7 (Artillery's) gives text frames as strings
    const c = typeof data === 'string' ? data.charCodeAt(9) : data[9]; // {"type":"a…  /  {"type":"d…
    if (c === 0x61) acks++;
    else if (c === 0x64) delivered++;
  });
  let seq = 0;
  const sendNext = () => {
    if (seq >= count || ws.readyState !== 1) return;
    ws.send(frame(String((uid + 1) % CONNS), seq++));
    events.emit('counter', 'peers.msgs_sent', 1);
    setTimeout(sendNext, Math.max(0, firstAt + seq * period - Date.now()));
  };
  setTimeout(sendNext, Math.max(0, firstAt - Date.now()));
  setTimeout(() => {
    events.emit('counter', 'peers.acks', acks);
    events.emit('counter', 'peers.delivered', delivered);
    done();
  }, Math.max(0, endAt - Date.now()));
}

module.exports = { nameUser, startClock, converse };
