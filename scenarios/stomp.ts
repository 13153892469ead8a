import { hold, M, ramp, ScenarioOptions, VuContext } from '../lib';
import { checkMessaging, MessageMeter, MessagingExtra, messagingSettings, pace, peakWindow, plannedWall, requestMetrics, sendPlan } from '../lib/helpers';
import { Stomp, STOMP_PROTOCOLS, StompExtra, stompMetrics, stompSettings } from '../lib/protocols';

/**
 * IM traffic over STOMP 1.2 (docs/protocols.md, "STOMP"): VU i subscribes to `<prefix>i` and, once
 * every VU is up, SENDs `msgSize`-byte messages at `msgRate` per second to VU i+1's destination,
 * each with a receipt. Measured: CONNECT → CONNECTED (`stomp_connected_ms`), SEND → RECEIPT
 * (`im_ack_rtt`), delivery latency, sent/delivered/lost/duplicated/out of order, heart-beats at
 * `--ping-interval` (missed ones in `stomp_heartbeats_missed`), ERROR frames as failure classes.
 */
export const options: ScenarioOptions<MessagingExtra & StompExtra> = {
  stages: [ramp('30s', 1000), hold('30s')],
  pingInterval: '30s',
  mode: 'messaging',
  protocols: STOMP_PROTOCOLS,
  metrics: { ...requestMetrics({ trend: M.imAckRtt, timeouts: M.imAckTimeouts }), ...stompMetrics() },
  // RabbitMQ's defaults (docs/protocols.md, "Broker settings"); login and passcode may hold ${vu} and ${token}
  extra: { msgSize: 256, msgRate: 1, stompLogin: 'guest', stompPasscode: 'guest', stompVhost: '/', stompAck: 'auto' },
};
checkMessaging(options.extra ?? {});
stompSettings(options.extra ?? {});

let padding = '';

export default function (vu: VuContext<MessagingExtra & StompExtra>): void {
  const s = messagingSettings(vu.options.extra);
  const st = stompSettings(vu.options.extra);
  const to = `${st.stompPrefix}${(vu.id + 1) % peakWindow(vu.options.stages).vus}`;
  const stomp = new Stomp(vu, vu.connect(), { login: st.stompLogin, passcode: st.stompPasscode, host: st.stompVhost });
  const meter = new MessageMeter(vu);
  if (padding.length < s.msgSize) padding = 'x'.repeat(s.msgSize);
  const body = padding.slice(0, s.msgSize);

  stomp.ready(() => {
    stomp.subscribe(`${st.stompPrefix}${vu.id}`, (m) => {
      const seq = Number(m.headers['wsb-seq']);
      if (Number.isInteger(seq)) meter.delivered(m.headers['wsb-from'] ?? '', seq, Number(m.headers['wsb-ts']), Number(m.headers['wsb-planned']));
      if (st.stompAck !== 'auto') stomp.ack(m);
    }, { ack: st.stompAck });
  });
  pace(vu, sendPlan(vu.options.stages, vu.id, { rate: s.msgRate, warmupMs: s.warmupMs, drainMs: s.drainMs }), (seq, plannedAt) => {
    const planned = String(plannedWall(vu, plannedAt));
    const headers = { 'wsb-from': String(vu.id), 'wsb-seq': String(seq), 'wsb-ts': String(vu.wallNow()), 'wsb-planned': planned };
    if (stomp.send(to, body, headers, true, plannedAt)) meter.sent(1);
  });
  // STOMP DISCONNECT before the runner's close; RabbitMQ's web_stomp sends no receipt for it (lib/protocols/stomp-client.ts)
  vu.onStop(() => stomp.disconnect({ receipt: false }));
  stomp.socket.addEventListener('close', () => meter.flush());
}
