import { checkK6Flow, checkNodeFlow, chosen, readPlanFor, resolveSlowReaders, resolveStall } from '../lib/options/flow-options';
import { bytesSummary, slowReadersSummary } from '../lib/results/flow-summary';
import { bytesLines, bytesRows, slowReaderRows } from '../lib/results/report/flow-lines';
import { M } from '../lib/core/metric-names';

const EMPTY = { counters: {}, rates: {}, trends: {}, errors: {}, disconnects: {} };

describe('slowReaders and stall: which VUs, and how they read', () => {
  test('chosen spreads the share evenly by index: of the first n VUs, floor(n * share)', () => {
    const ids = (share: number, n: number): number[] => [...Array(n).keys()].filter((i) => chosen(share, i));
    expect(ids(0.05, 100)).toEqual([19, 39, 59, 79, 99]);
    expect(ids(0.125, 8)).toEqual([7]);
    expect(ids(1, 3)).toEqual([0, 1, 2]);
    for (const n of [7, 50, 333]) expect(ids(0.3, n)).toHaveLength(Math.floor(n * 0.3));
  });

  test('a read plan per VU: rate, stall, both, or none', () => {
    const o = { slowReaders: { share: 0.5, bytesPerSec: 1024 }, stall: { share: 0.25, afterMs: 1000, forMs: 2000 } };
    expect(readPlanFor(o, 0)).toBeUndefined();
    expect(readPlanFor(o, 1)).toEqual({ bytesPerSec: 1024 });
    expect(readPlanFor(o, 3)).toEqual({ bytesPerSec: 1024, stall: { afterMs: 1000, forMs: 2000 } });
    expect(readPlanFor({}, 3)).toBeUndefined();
  });

  test('checked: one line naming what is wrong', () => {
    expect(resolveStall({ share: 0.1, after: '2s', for: '500ms' })).toEqual({ share: 0.1, afterMs: 2000, forMs: 500 });
    expect(() => resolveSlowReaders({ share: 0, bytesPerSec: 10 })).toThrow('options.slowReaders.share must be a number more than 0 and at most 1 (got 0)');
    expect(() => resolveSlowReaders({ share: 0.1, bytesPerSec: 0.5 })).toThrow('options.slowReaders.bytesPerSec must be a whole number >= 1 (got 0.5)');
    expect(() => resolveStall({ share: 0.1, after: '1s', for: '0s' })).toThrow('options.stall.for must be more than 0s');
    expect(() => resolveStall('5s' as never)).toThrow(/options\.stall must be an object like/);
    expect(() => checkNodeFlow({ compression: true, transport: 'raw' })).toThrow('compression is not supported with transport raw');
    expect(() => checkNodeFlow({ compression: true, transport: 'ws' })).not.toThrow();
    expect(() => checkK6Flow({ stall: { share: 0.1, afterMs: 0, forMs: 1 } }, 'x.ts')).toThrow('cannot build x.ts for k6: options.stall need read flow control');
  });
});

describe('the bytes and slowReaders blocks', () => {
  test('null figures when nothing recorded them (k6, no connection), never 0', () => {
    expect(bytesSummary(EMPTY)).toEqual({ payloadSent: null, payloadReceived: null, wireSent: null, wireReceived: null, ratioSent: null, ratioReceived: null, compressedConnections: null });
    expect(slowReadersSummary(EMPTY).connections).toBeNull();
    expect(slowReadersSummary(EMPTY).latencyMs.p50).toBeNull();
    expect(bytesLines(bytesSummary(EMPTY), 'en')).toEqual([]);
  });

  test('ratios: wire / payload, null with no payload', () => {
    const t = { ...EMPTY, counters: { [M.payloadSent]: 1000, [M.wireSent]: 250, [M.payloadReceived]: 0, [M.wireReceived]: 17, [M.deflateConns]: 3 } };
    const b = bytesSummary(t);
    expect(b).toEqual({ payloadSent: 1000, payloadReceived: 0, wireSent: 250, wireReceived: 17, ratioSent: 0.25, ratioReceived: null, compressedConnections: 3 });
    expect(bytesLines(b, 'en', 4)).toEqual(['', '--- Bytes ---', 'Sent:           250 wire / 1000 payload (×0.250)', 'Received:       17 wire / 0 payload',
      'Compressed:     3 of 4 connections (permessage-deflate taken)']);
  });

  test('the HTML report cards carry the figures of the text, and are left out where the text shows none', () => {
    const t = { ...EMPTY, counters: { [M.payloadSent]: 1000, [M.wireSent]: 250, [M.payloadReceived]: 0, [M.wireReceived]: 17, [M.deflateConns]: 3 } };
    expect(bytesRows(bytesSummary(t), 4)).toEqual([['sent', '250 wire / 1000 payload (×0.250)'], ['received', '17 wire / 0 payload'], ['compressed', '3 of 4 connections']]);
    expect(bytesRows(bytesSummary(EMPTY))).toEqual([]);
    expect(slowReaderRows(slowReadersSummary(EMPTY))).toEqual([]);
    expect(slowReaderRows(slowReadersSummary({ ...EMPTY, counters: { [M.slowReaderConns]: 2 } }))).toEqual([['connections', 2], ['delivery p50 / p99 (ms)', 'no data']]);
  });
});
