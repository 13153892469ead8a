import { Reader, Writer } from 'protobufjs/minimal';
import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from '../lib';
import { checkMessaging, MessageMeter, MessagingExtra, messagingSettings, pace, sendPlan } from '../lib/helpers';

/** scenarios/im.proto's ImMessage. */
export interface ImMessage {
  from: string;
  to: string;
  seq: number;
  sentAt: number;
  body: string;
  tags: string[];
  attachment: Uint8Array;
}

/**
 * ImMessage's static code over protobufjs's minimal runtime, as `pbjs -t static` writes it (the
 * minimal runtime has no .proto parser and no file access: it bundles for k6). Each key is
 * field number << 3 | wire type; test/protobuf.test.ts holds it to scenarios/im.proto.
 */
export function encodeIm(m: ImMessage): Uint8Array {
  const w = Writer.create();
  if (m.from !== '') w.uint32(10).string(m.from);
  if (m.to !== '') w.uint32(18).string(m.to);
  if (m.seq !== 0) w.uint32(24).uint32(m.seq);
  if (m.sentAt !== 0) w.uint32(33).double(m.sentAt);
  if (m.body !== '') w.uint32(42).string(m.body);
  for (const t of m.tags) w.uint32(50).string(t);
  if (m.attachment.length > 0) w.uint32(58).bytes(m.attachment);
  return w.finish();
}

export function decodeIm(bytes: Uint8Array): ImMessage {
  const r = Reader.create(bytes);
  const m: ImMessage = { from: '', to: '', seq: 0, sentAt: 0, body: '', tags: [], attachment: new Uint8Array(0) };
  while (r.pos < r.len) {
    const key = r.uint32();
    switch (key >>> 3) {
      case 1: m.from = r.string(); break;
      case 2: m.to = r.string(); break;
      case 3: m.seq = r.uint32(); break;
      case 4: m.sentAt = r.double(); break;
      case 5: m.body = r.string(); break;
      case 6: m.tags.push(r.string()); break;
      case 7: m.attachment = r.bytes(); break;
      default: r.skipType(key & 7);
    }
  }
  return m;
}

/** Every field as one text; the bytes field as its numbers (decoded, it is a Buffer on Node and a Uint8Array on k6). */
const fields = (m: ImMessage): string => JSON.stringify([m.from, m.to, m.seq, m.sentAt, m.body, m.tags, Array.from(m.attachment)]);

/**
 * Protobuf IM messages in binary frames through the embedded server's echo (docs/protocols.md): each
 * VU sends an ImMessage at `msgRate` and decodes what comes back. A copy whose fields all equal what
 * was sent is a delivery (`MessageMeter`: delivered, lost, latency); one that differs counts in `pb_mismatch`.
 */
export const options: ScenarioOptions<MessagingExtra> = {
  stages: [ramp('5s', 50), hold('10s')],
  pingInterval: '5s',
  mode: 'messaging',
  metrics: { pb_mismatch: 'counter' },
  extra: { msgSize: 64, msgRate: 2 },
};
checkMessaging(options.extra ?? {});

export default function (vu: VuContext<MessagingExtra>): void {
  const s = messagingSettings(vu.options.extra);
  const socket = keepAlive(vu);
  const meter = new MessageMeter(vu);
  const mismatch = vu.counter('pb_mismatch');
  const sent = new Map<number, string>();
  const body = 'm'.repeat(s.msgSize);
  pace(vu, sendPlan(vu.options.stages, vu.id, { rate: s.msgRate, warmupMs: s.warmupMs, drainMs: s.drainMs }), (seq) => {
    if (socket.readyState !== 1) return;
    const m = { from: String(vu.id), to: 'echo', seq, sentAt: vu.wallNow(), body, tags: ['im', `vu${vu.id}`], attachment: new Uint8Array([seq & 255, 1, 2]) };
    sent.set(seq, fields(m));
    socket.send(encodeIm(m));
    meter.sent(1);
  });
  socket.addEventListener('message', (e) => {
    if (typeof e.data === 'string') return;
    const got = decodeIm(new Uint8Array(e.data));
    const want = sent.get(got.seq);
    sent.delete(got.seq);
    if (want !== undefined && want === fields(got)) meter.delivered(got.from, got.seq, got.sentAt);
    else mismatch.add(1);
  });
  socket.addEventListener('close', () => meter.flush());
}
