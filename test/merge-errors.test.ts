import fs from 'node:fs';
import path from 'node:path';
import { ImServer, startImServer } from '../server/server';
import { readSummary, ROOT, runCli, tmpDir, writeScenario } from './helpers';

const connectOnly = path.join(ROOT, 'scenarios', 'connect-only.ts');
const OTHER = `
import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
export const options: ScenarioOptions = { stages: [ramp('500ms', 6), hold('500ms')] };
export default function (vu: VuContext): void { keepAlive(vu); }
`;
// crossed by each share (2 attempts), held by the whole test (6): only the merge may judge it
const threshold = ['--threshold', 'connections.attempted >= 6'];
const timing = ['--duration', '1s', '--ramp', '500ms', '--ping-interval', '1s', ...threshold];
const short = ['--conns', '6', ...timing];

/** `runner merge` on these folders: exit code and stderr. */
async function merge(dirs: string[], extra: string[] = ['--out', path.join(tmpDir(), 'merged')]): Promise<{ code: number | null; stderr: string }> {
  const r = await runCli('runner', ['merge', ...dirs, ...extra], { noExport: true });
  return { code: r.code, stderr: r.stderr };
}

describe('runner merge refuses segments that are not the n shares of one test, naming the problem', () => {
  let server: ImServer;
  let seg: string[];
  let other2: string;
  let moreConns2: string;
  let firstStderr: string;

  beforeAll(async () => {
    server = await startImServer();
    const other = writeScenario(OTHER, 'other.ts');
    const runs = await Promise.all([
      ...[0, 1, 2].map((i) => runCli('runner', ['run', connectOnly, ...short, '--target', server.url, '--segment', `${i}/3`])),
      runCli('runner', ['run', other, '--target', server.url, '--segment', '2/3', ...threshold]),
      runCli('runner', ['run', connectOnly, '--conns', '9', ...timing, '--target', server.url, '--segment', '2/3']),
    ]);
    for (const r of runs) expect(r.code).toBe(0);
    firstStderr = (runs[0] as { stderr: string }).stderr;
    seg = runs.slice(0, 3).map((r) => r.outDir);
    other2 = (runs[3] as { outDir: string }).outDir;
    moreConns2 = (runs[4] as { outDir: string }).outDir;
  });
  afterAll(() => server?.close());

  test('the complete set merges; thresholds are judged on the whole, not on a share', async () => {
    expect(firstStderr).toContain('segment 0/3: thresholds crossed on this share; runner merge judges the whole run\n');
    const out = path.join(tmpDir(), 'merged');
    expect((await merge(seg, ['--out', out])).code).toBe(0);
    const s = readSummary(out);
    expect(s.connections).toMatchObject({ attempted: 6, succeeded: 6 });
    expect(s.thresholds).toEqual({ 'connections.attempted >= 6': { ok: true, value: 6 } });
    expect((await merge(seg, ['--out', path.join(tmpDir(), 'm'), '--threshold', 'connections.attempted >= 7'])).code).toBe(99);
  });

  test('a missing segment', async () => {
    expect(await merge([seg[1] as string, seg[0] as string])).toEqual({ code: 1, stderr: 'merge: segment 2/3 missing: got 0/3, 1/3\n' });
    expect(await merge([seg[1] as string])).toEqual({ code: 1, stderr: 'merge: segments 0/3, 2/3 missing: got 1/3\n' });
  });

  test('a duplicated segment, whether the same folder twice or a copy', async () => {
    const copy = path.join(tmpDir(), 'copy-of-1');
    fs.cpSync(seg[1] as string, copy, { recursive: true });
    expect(await merge([seg[0] as string, seg[1] as string, copy, seg[2] as string])).toEqual({
      code: 1, stderr: `merge: segment 1/3 given twice: ${seg[1]} and ${copy}\n`,
    });
    expect((await merge([seg[0] as string, seg[0] as string, seg[1] as string, seg[2] as string])).stderr).toBe(
      `merge: segment 0/3 given twice: ${seg[0]} and ${seg[0]}\n`,
    );
  });

  test('segments of different scenarios', async () => {
    expect(await merge([seg[0] as string, seg[1] as string, other2])).toEqual({
      code: 1,
      stderr: `merge: segments of different scenarios: connect-only (0/3 in ${seg[0]}, 1/3 in ${seg[1]}) vs other (2/3 in ${other2})\n`,
    });
  });

  test('segments of one scenario run with different options', async () => {
    expect(await merge([seg[0] as string, seg[1] as string, moreConns2])).toEqual({
      code: 1,
      stderr: `merge: segments ran different options: 2/3 in ${moreConns2} differs from 0/3 in ${seg[0]} in stages (merge only the segments of one test)\n`,
    });
  });

  test('segments of different splits', async () => {
    const half = path.join(tmpDir(), 'half');
    fs.cpSync(seg[2] as string, half, { recursive: true });
    const file = path.join(half, 'raw', 'totals.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), segment: { index: 1, count: 2 } }));
    expect((await merge([seg[0] as string, half])).stderr).toBe(
      `merge: segments of different splits: 0/3 in ${seg[0]}, 1/2 in ${half} (give the n folders of one --segment i/n run)\n`,
    );
  });

  test('a folder that holds no raw results, and a missing --out', async () => {
    const empty = tmpDir();
    expect(await merge([empty])).toEqual({ code: 1, stderr: `merge: ${empty} has no raw/totals.json (give results folders written by runner run --segment i/n)\n` });
    expect(await merge(seg, [])).toEqual({ code: 1, stderr: 'merge: give --out <dir>, the folder for the merged results\n' });
    expect(await merge(seg, ['--out', seg[0] as string])).toEqual({ code: 1, stderr: `merge: --out ${seg[0]} is one of the segment folders; give a new folder\n` });
  });

  test.each([
    ['3/3', '--segment must be i/n with 0 <= i < n, e.g. 0/3, 1/3 and 2/3 for three generators (got "3/3"; i counts from 0, so the last of 3 is 2/3)'],
    ['1', '--segment must be i/n with 0 <= i < n, e.g. 0/3, 1/3 and 2/3 for three generators (got "1")'],
    ['0/0', '--segment must be i/n with 0 <= i < n, e.g. 0/3, 1/3 and 2/3 for three generators (got "0/0")'],
    ['$(JOB_COMPLETION_INDEX)/4', '--segment must be i/n with 0 <= i < n, e.g. 0/3, 1/3 and 2/3 for three generators (got "$(JOB_COMPLETION_INDEX)/4"; the variable was not expanded)'],
  ])('runner run --segment %s is refused with one line', async (value, line) => {
    const r = await runCli('runner', ['run', connectOnly, ...short, '--segment', value]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: `${line}\n` });
  });
});
