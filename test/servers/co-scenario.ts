/**
 * The scenario of the coordinated-omission tests (test/co-latency.test.ts, test/k6-real/co-latency.test.ts):
 * VUS connections pace RATE messages a second each, one in flight at a time (a planned send that finds
 * the previous one unanswered waits for its ack), timed from the send and from the plan.
 */
export const VUS = 10;
export const RATE = 50;
export const STALL_MS = 2000;

export const CO_SCENARIO = `
import { hold, M, ramp } from 'wsbench';
import { MessageMeter, pace, requestMetrics, Requests, sendPlan } from 'wsbench/helpers';
const ACKS = { trend: M.imAckRtt, timeouts: M.imAckTimeouts, timeoutMs: 10000 };
export const options = {
  stages: [ramp('500ms', ${VUS}), hold('8s')],
  pingInterval: '30s',
  metrics: requestMetrics(ACKS),
  extra: { rate: ${RATE} },
};
export default function (vu) {
  const socket = vu.connect(vu.options.target);
  const acks = new Requests(vu, socket, ACKS);
  const meter = new MessageMeter(vu);
  // one request in flight: a planned send that finds the previous one unanswered waits for its ack
  const queue = [];
  const next = () => {
    if (acks.pending > 0 || queue.length === 0 || socket.readyState !== 1) return;
    const { seq, plannedAt } = queue.shift();
    acks.send(String(seq), '{"type":"send","to":"x","id":"' + seq + '"}', { plannedAt });
    meter.sent(0);
  };
  socket.addEventListener('message', (e) => {
    const m = /"id":"([^"]+)"/.exec(String(e.data));
    if (m) acks.reply(m[1]);
    next();
  });
  pace(vu, sendPlan(vu.options.stages, vu, { rate: ${RATE}, warmupMs: 500, drainMs: 3000 }), (seq, plannedAt) => {
    queue.push({ seq, plannedAt });
    next();
  });
}
`;

