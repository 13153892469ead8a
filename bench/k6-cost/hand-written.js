// The hand-written k6 script of `make bench-k6` (bench/k6-cost.sh): the same 500-VU hold with pings
// as bench/k6-cost/hold.ts, written straight on k6/websockets. One life per VU, closed at the end.
/* global __ENV */
import exec from 'k6/execution';
import { setInterval, clearInterval, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';

export const options = { stages: [{ duration: '10s', target: 500 }, { duration: '20s', target: 500 }] };
const END_MS = Number(__ENV.END_MS || 30000); // bench/k6-cost-heap.sh runs a shorter hold

export default function () {
  const left = END_MS - (Date.now() - exec.scenario.startTime);
  if (left <= 0) return;
  const ws = new WebSocket(__ENV.TARGET);
  let timer;
  ws.onopen = () => { timer = setInterval(() => ws.ping(), 5000); };
  ws.onclose = () => clearInterval(timer);
  setTimeout(() => { clearInterval(timer); ws.close(); }, left);
}
