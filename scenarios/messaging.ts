import { hold, keepAlive, M, ramp, ScenarioOptions, VuContext } from '../lib';
import { checkMessaging, MessageMeter, MessagingExtra, messagingSettings, pace, peakWindow, requestMetrics, Requests, sendPlan } from '../lib/helpers';

/** The acks of sent messages: their round trip and their timeouts, under wsbench's names (the `messages` block). */
const ACKS = { trend: M.imAckRtt, timeouts: M.imAckTimeouts };

/**
 * IM traffic over the embedded server's protocol (docs/messaging.md): VU i connects as
 * user i, and once every VU is up sends `msgSize`-byte messages at `msgRate` per second to user
 * i+1 (wrapping), or to its room of `roomSize` users. Measured: send→ack round trip
 * (`im_ack_rtt`), delivery latency (`ws_msg_latency`), both also from each message's planned send
 * time (`im_ack_rtt_from_plan`, `ws_msg_latency_from_plan`: the body starts `@<planned wall ms>|`),
 * sent/acked/delivered/lost/duplicated/out
 * of order, throughput. Sending stops `msgDrain` before the hold ends, so that the last messages
 * arrive before the runner closes the connections.
 */
export const options: ScenarioOptions<MessagingExtra> = {
  stages: [ramp('30s', 1000), hold('30s')],
  pingInterval: '30s',
  mode: 'messaging',
  // what the scenario records by name: the acks' Requests (wsbench's im_ack_rtt, im_ack_timeouts) and error frames
  metrics: { ...requestMetrics(ACKS), im_error_frames: 'counter' },
  // the CLI's --msg-size, --msg-rate and --room-size override these (lib/helpers/messaging-settings.ts says what each means);
  // also read, when set: msgWarmup (quiet time after the ramp before the first message, default
  // min(1s, hold/4)) and msgDrain (quiet time after the last message before the hold ends, default min(2s, hold/4))
  extra: { msgSize: 256, msgRate: 1, roomSize: 0 },
};
// checked once, as the module loads; the --msg-* flags are checked by the same validator
checkMessaging(options.extra ?? {});

const ACK_PREFIX = '{"type":"ack","id":"';
let padding = '';

/**
 * The whole number written at `from` up to the `"` at `end` (exclusive), as the scenario writes its
 * ids (decimal, no sign, no leading zero); -1 for anything else. Read in place: no slice per message.
 */
function idAt(text: string, from: number, end: number): number {
  const len = end - from;
  if (len < 1 || len > 15 || (len > 1 && text.charCodeAt(from) === 48)) return -1;
  let n = 0;
  for (let i = from; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `${Math.round(v * 1000) / 1000}` for a time v >= 0 in ms, the same characters, printed from whole
 * numbers: about 5× faster than printing the fraction of a double (two per message sent).
 */
function microsText(v: number): string {
  const us = Math.round(v * 1000);
  const ms = Math.floor(us / 1000);
  const f = us - ms * 1000;
  if (f === 0) return `${ms}`;
  // the shortest form: trailing zeros of the fraction dropped
  const frac = f % 100 === 0 ? `${f / 100}` : f % 10 === 0 ? `${f < 100 ? '0' : ''}${f / 10}` : `${f < 10 ? '00' : f < 100 ? '0' : ''}${f}`;
  return `${ms}.${frac}`;
}

/** The id of an ack as the embedded server writes it (`{"type":"ack","id":"<seq>"}`); undefined when shaped otherwise (then JSON.parse decides). */
function ackId(text: string): number | undefined {
  if (!text.startsWith(ACK_PREFIX) || !text.endsWith('"}')) return undefined;
  const id = idAt(text, ACK_PREFIX.length, text.length - 2);
  return id < 0 ? undefined : id;
}

/** Query string `uid=<id>` added to the target (the embedded server's way of naming the user). */
function withUid(target: string, uid: string): string {
  return `${target}${target.includes('?') ? '&' : '?'}uid=${encodeURIComponent(uid)}`;
}

interface Frame {
  type?: string;
  id?: unknown;
  from?: unknown;
  ts?: unknown;
}

function parse(text: string): Frame | undefined {
  try {
    return JSON.parse(text) as Frame;
  } catch {
    return undefined;
  }
}

const DELIVER_PREFIX = '{"type":"deliver","from":"';

/**
 * Reads from, id and ts of a deliver frame as the embedded server writes it (from, to|room, id, ts,
 * then the body) without parsing the body; undefined when the frame is shaped otherwise (then
 * JSON.parse decides). A `"` inside a JSON string is always escaped, so the markers cannot match inside values.
 */
function readDeliver(text: string): { from: string; seq: number; ts: number; planned?: number } | undefined {
  if (!text.startsWith(DELIVER_PREFIX)) return undefined;
  const fromEnd = text.indexOf('"', DELIVER_PREFIX.length);
  const at = fromEnd < 0 ? -1 : text.indexOf('"id":"', fromEnd);
  if (at < 0 || text.charCodeAt(fromEnd - 1) === 92 /* \ */) return undefined;
  const idEnd = text.indexOf('"', at + 6);
  if (idEnd < 0 || !text.startsWith(',"ts":', idEnd + 1)) return undefined;
  const tsEnd = text.indexOf(',', idEnd + 7);
  const seq = idAt(text, at + 6, idEnd);
  if (tsEnd < 0 || seq < 0) return undefined;
  const ts = Number(text.slice(idEnd + 7, tsEnd));
  if (!Number.isFinite(ts)) return undefined;
  return { from: text.slice(DELIVER_PREFIX.length, fromEnd), seq, ts, planned: plannedOf(text, tsEnd) };
}

const PLANNED_PREFIX = ',"body":"@';

/** The planned send time a body starts with (`@<wall ms>|`), read from `at` (the comma before "body"). */
function plannedOf(text: string, at: number): number | undefined {
  if (!text.startsWith(PLANNED_PREFIX, at)) return undefined;
  const end = text.indexOf('|', at + PLANNED_PREFIX.length);
  const v = end < 0 ? NaN : Number(text.slice(at + PLANNED_PREFIX.length, end));
  return Number.isFinite(v) ? v : undefined;
}

export default function (vu: VuContext<MessagingExtra>): void {
  const s = messagingSettings(vu.options.extra);
  const peak = peakWindow(vu.options.stages);
  const uid = String(vu.id);
  let to: string;
  let receivers: number;
  if (s.roomSize > 0) {
    const first = Math.floor(vu.id / s.roomSize) * s.roomSize;
    to = `r${first / s.roomSize}`;
    receivers = Math.min(s.roomSize, peak.vus - first) - 1; // the last room may be smaller
  } else {
    to = String((vu.id + 1) % peak.vus);
    receivers = 1;
  }
  const socket = keepAlive(vu, vu.connect(withUid(vu.options.target, uid)));
  const meter = new MessageMeter(vu);
  const acks = new Requests<number>(vu, socket, ACKS); // keyed by seq: a number key costs no string per send or reply
  const errors = vu.counter('im_error_frames');

  if (s.roomSize > 0) socket.addEventListener('open', () => socket.send(`{"type":"join","room":"${to}"}`));
  const head = s.roomSize > 0 ? `{"type":"send","room":"${to}","id":"` : `{"type":"send","to":"${to}","id":"`;
  if (padding.length < s.msgSize) padding = 'x'.repeat(s.msgSize);

  pace(vu, sendPlan(vu.options.stages, vu.id, { rate: s.msgRate, warmupMs: s.warmupMs, drainMs: s.drainMs }), (seq, plannedAt) => {
    if (socket.readyState !== 1) return; // not open: nothing sent, nothing expected
    // to the microsecond (a rounded number prints faster than the full double, microsText faster still)
    const wall = vu.wallNow();
    const planned = microsText(wall - (vu.now() - plannedAt)); // plannedWall(vu, plannedAt), from the same reading
    const start = `${head}${seq}","ts":${microsText(wall)},"body":"@${planned}|`;
    const frame = `${start}${padding.slice(0, Math.max(0, s.msgSize - start.length - 2))}"}`;
    acks.send(seq, frame, { plannedAt });
    meter.sent(receivers);
  });

  socket.addEventListener('message', (e) => {
    const text = e.data;
    if (typeof text !== 'string') return;
    // acks are most of the traffic: read their id without a full parse
    const ack = ackId(text);
    if (ack !== undefined) {
      acks.reply(ack);
      return;
    }
    const d = readDeliver(text);
    if (d) {
      meter.delivered(d.from, d.seq, d.ts, d.planned);
      return;
    }
    const f = parse(text);
    if (f?.type === 'deliver') {
      const seq = Number(f.id);
      if (Number.isInteger(seq) && seq >= 0) meter.delivered(String(f.from), seq, typeof f.ts === 'number' ? f.ts : undefined);
    } else if (f?.type === 'ack') {
      const id = String(f.id); // the key as sent: a canonical decimal
      const n = idAt(id, 0, id.length);
      if (n >= 0) acks.reply(n);
    } else if (f?.type === 'error') {
      errors.add(1);
    }
  });
  socket.addEventListener('close', () => meter.flush());
}
