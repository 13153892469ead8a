import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { badInputLine, tmpDir } from './helpers';

/** `runner report --k6 FILE` refuses what is not k6's JSON output: one line, exit 1 (in-process). */
const DIR = tmpDir('wsbench-report-k6-input-');
const METRIC = '{"type":"Metric","data":{"name":"ws_sessions","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"ws_sessions"}';
const POINT = '{"metric":"ws_sessions","type":"Point","data":{"time":"2026-01-01T00:00:00.1Z","value":1,"tags":{}}}';

function file(name: string, body: string | Buffer): string {
  const f = path.join(DIR, name);
  fs.writeFileSync(f, body);
  return f;
}

const k6 = (f: string, ...more: string[]): Promise<string> => badInputLine('runner', ['report', '--k6', f, '--out-dir', path.join(DIR, 'out'), ...more]);

test('a missing file', async () => {
  expect(await k6('/nonexistent/k6.json')).toBe('report --k6: /nonexistent/k6.json not found (give the file of k6 run --out json=FILE, plain or .gz)');
});

test("k6's end-of-test summary (--summary-export) instead of its samples", async () => {
  const f = file('export.json', '{\n  "metrics": {}\n}\n');
  expect(await k6(f)).toMatch(/: line 1 is not JSON \(.*\); k6 run --out json=FILE writes one JSON object a line$/);
  const one = file('export-one-line.json', '{"metrics":{"ws_sessions":{"count":1}}}\n');
  expect(await k6(one)).toBe(`report --k6: ${one}: line 1 is not a line of k6 run --out json=FILE (expected {"type":"Metric",...} or {"type":"Point",...})`);
});

test('a line that does not parse, after good ones: named by its number', async () => {
  const f = file('cut.json', `${METRIC}\n${POINT}\n{"metric":"ws_sess`);
  expect(await k6(f)).toMatch(new RegExp(`^report --k6: ${f}: line 3 is not JSON \\(`));
});

test('an empty file, and one with declarations only', async () => {
  const empty = file('empty.json', '');
  expect(await k6(empty)).toBe(`report --k6: ${empty} holds no k6 samples (write one with k6 run --out json=FILE)`);
  const decl = file('decl.json', `${METRIC}\n`);
  expect(await k6(decl)).toBe(`report --k6: ${decl} holds no k6 samples (write one with k6 run --out json=FILE)`);
});

test('a damaged gzip file', async () => {
  const gz = zlib.gzipSync(`${METRIC}\n${POINT}\n`);
  const f = file('cut.json.gz', gz.subarray(0, gz.length - 12));
  expect(await k6(f)).toBe(`report --k6: cannot read ${f} (unexpected end of file)`);
});

test('flags: a bad threshold, --out-dir without --k6, a folder and --k6, neither', async () => {
  const f = file('ok.json', `${METRIC}\n${POINT}\n`);
  expect(await k6(f, '--threshold', 'connections.nope > 1')).toMatch(/connections\.nope/);
  expect(await badInputLine('runner', ['report', DIR, '--out-dir', DIR])).toBe('report: --out-dir and --threshold go with --k6 FILE');
  expect(await badInputLine('runner', ['report', DIR, '--k6', f])).toBe(`report: give a results folder or --k6 FILE, not both (got ${DIR})`);
  expect(await badInputLine('runner', ['report'])).toBe('report: give a results folder (runner report bench/results/...) or --k6 FILE');
});
