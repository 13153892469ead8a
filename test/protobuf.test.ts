import path from 'node:path';
import protobuf from 'protobufjs';
import { decodeIm, encodeIm, ImMessage } from '../scenarios/protobuf';
import { ROOT, runCli } from './helpers';

/**
 * scenarios/protobuf.ts: ImMessages in binary frames through the embedded server's echo, decoded
 * and compared field by field with what was sent. 20 connections, 1 s ramp, 2 s hold at 10/s: each
 * sends exactly 10 (warmup and drain are a quarter of the hold), 200 in all.
 */
const CONNS = 20;
const PER_CONN = 10;

test("the static code of scenarios/protobuf.ts is scenarios/im.proto's ImMessage, both ways, against protobufjs's own parser and codec", () => {
  const T = protobuf.loadSync(path.join(ROOT, 'scenarios', 'im.proto')).lookupType('wsbench.im.ImMessage');
  const m: ImMessage = { from: '7', to: 'echo', seq: 300, sentAt: 1_796_298_173_123.456, body: 'héllo 中文', tags: ['im', 'vu7'], attachment: new Uint8Array([44, 1, 2]) };
  const byFull = T.toObject(T.decode(encodeIm(m)), { defaults: true });
  expect({ ...byFull, attachment: Array.from(byFull.attachment as Uint8Array) }).toEqual({ ...m, attachment: [44, 1, 2] });
  const byStatic = decodeIm(T.encode(T.fromObject(m)).finish());
  expect({ ...byStatic, attachment: Array.from(byStatic.attachment) }).toEqual({ ...m, attachment: [44, 1, 2] });
  // defaults are left out, as proto3 says: an empty message is no bytes, and reads back as the defaults
  expect(encodeIm({ from: '', to: '', seq: 0, sentAt: 0, body: '', tags: [], attachment: new Uint8Array(0) })).toHaveLength(0);
});

test('every ImMessage comes back with every field equal to what was sent: delivered = sent, no mismatch, binary frames both ways', async () => {
  const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', 'protobuf.ts'),
    '--conns', String(CONNS), '--duration', '3s', '--ramp', '1s', '--msg-rate', '10', '--threshold', 'connections.successRate >= 1']);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(0);
  const s = r.summary!;
  const sent = CONNS * PER_CONN;
  expect(s.messages).toMatchObject({ sent, expected: sent, delivered: sent, lost: 0, duplicated: 0, frames: { sent, received: sent } });
  expect(s.messages.latencyMs.count).toBe(sent);
  expect(s.metrics.pb_mismatch).toBe(0);
});
