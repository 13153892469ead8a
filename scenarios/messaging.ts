import { hold, keepAlive, M, ramp, ScenarioOptions, VuContext } from '../lib';
import { checkMessaging, MessageMeter, MessagingExtra, messagingSettings, pace, peakWindow, plannedWall, requestMetrics, Requests, sendPlan } from '../lib/helpers';

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
  const idAt = fromEnd < 0 ? -1 : text.indexOf('"id":"', fromEnd);
  if (idAt < 0 || text.charCodeAt(fromEnd - 1) === 92 /* \ */) return undefined;
  const idEnd = text.indexOf('"', idAt + 6);
  if (idEnd < 0 || !text.startsWith(',"ts":', idEnd + 1)) return undefined;
  const tsEnd = text.indexOf(',', idEnd + 7);
  const seq = Number(text.slice(idAt + 6, idEnd));
  const ts = Number(text.slice(idEnd + 7, tsEnd));
  if (tsEnd < 0 || !Number.isInteger(seq) || seq < 0 || !Number.isFinite(ts)) return undefined;
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
  const acks = new Requests<string>(vu, socket, ACKS);
  const errors = vu.counter('im_error_frames');

  if (s.roomSize > 0) socket.addEventListener('open', () => socket.send(`{"type":"join","room":"${to}"}`));
  const head = s.roomSize > 0 ? `{"type":"send","room":"${to}","id":"` : `{"type":"send","to":"${to}","id":"`;
  if (padding.length < s.msgSize) padding = 'x'.repeat(s.msgSize);

  pace(vu, sendPlan(vu.options.stages, vu.id, { rate: s.msgRate, warmupMs: s.warmupMs, drainMs: s.drainMs }), (seq, plannedAt) => {
    if (socket.readyState !== 1) return; // not open: nothing sent, nothing expected
    // to the microsecond: a rounded number prints 4× faster than the full double
    const planned = Math.round(plannedWall(vu, plannedAt) * 1000) / 1000;
    const start = `${head}${seq}","ts":${Math.round(vu.wallNow() * 1000) / 1000},"body":"@${planned}|`;
    const frame = `${start}${padding.slice(0, Math.max(0, s.msgSize - start.length - 2))}"}`;
    acks.send(String(seq), frame, { plannedAt });
    meter.sent(receivers);
  });

  socket.addEventListener('message', (e) => {
    const text = e.data;
    if (typeof text !== 'string') return;
    // acks are most of the traffic: read their id without a full parse
    if (text.startsWith(ACK_PREFIX) && text.endsWith('"}')) {
      acks.reply(text.slice(ACK_PREFIX.length, -2));
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
      acks.reply(String(f.id));
    } else if (f?.type === 'error') {
      errors.add(1);
    }
  });
  socket.addEventListener('close', () => meter.flush());
}
