import fs from 'node:fs';
import path from 'node:path';
import { runCli, tmpDir, writeScenario } from './helpers';

// `runner run` bundles the scenario into a folder of its own under the temporary directory
// (build/scenario.ts bundleForNode) and removes it when the run ends (runner/setup.ts tearDown), or
// when the setup fails (runner/setup.ts setUp; a build that fails, build/scenario.ts). Each run here
// gets a TMPDIR of its own, so that what it leaves there is exactly what this run left.

/** A scenario that writes where it was loaded from (the bundle's path, one line per load) into `seen`. */
function recordingScenario(seen: string, options: string): string {
  return writeScenario(`import fs from 'node:fs';
import { hold, keepAlive, ramp } from 'wsbench';
fs.appendFileSync(${JSON.stringify(seen)}, __filename + '\\n');
export const options = ${options};
export default function (vu) { keepAlive(vu); }
`);
}

/** Folders of this file's tests (scenarios, results), removed after each. */
const made: string[] = [];

async function runIn(tmp: string, scenario: string, extra: string[] = []): Promise<Awaited<ReturnType<typeof runCli>>> {
  made.push(path.dirname(scenario));
  const r = await runCli('runner', ['run', scenario, ...extra], { env: { TMPDIR: tmp } });
  made.push(path.dirname(r.outDir));
  return r;
}

/** The bundle paths the scenario's loads wrote (the runner's own load, then each worker's). */
function loads(seen: string): string[] {
  return fs.readFileSync(seen, 'utf8').trim().split('\n');
}

describe('runner run removes the temporary folder of its scenario bundle', () => {
  let tmp: string;
  let seen: string;
  beforeEach(() => {
    tmp = tmpDir('wsbench-tmpdir-');
    seen = path.join(tmpDir('wsbench-seen-'), 'loads.txt');
  });
  afterEach(() => {
    for (const d of [tmp, path.dirname(seen), ...made.splice(0)]) fs.rmSync(d, { recursive: true, force: true });
  });

  test('after a run that completes', async () => {
    const file = recordingScenario(seen, "{ stages: [ramp('1s', 3), hold('1s')], pingInterval: '1s', thresholds: ['connections.successRate >= 1'] }");
    const r = await runIn(tmp, file, ['--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.summary?.connections.succeeded).toBe(3);
    const paths = loads(seen);
    // the runner's own load (options) and one per worker, all of the one bundle, in its own folder under TMPDIR
    expect(paths).toHaveLength(3);
    expect(new Set(paths).size).toBe(1);
    const bundle = paths[0] as string;
    expect(path.dirname(path.dirname(bundle))).toBe(fs.realpathSync(tmp));
    expect(path.basename(bundle)).toBe('scenario.cjs');
    expect(fs.existsSync(path.dirname(bundle))).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('after a run refused for bad scenario input (a mistyped option, found once the bundle is loaded)', async () => {
    const file = recordingScenario(seen, "{ stages: [ramp('1s', 1)], pingIntervall: '1s' }");
    const r = await runIn(tmp, file);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`options.pingIntervall in ${file} is not an option; did you mean pingInterval? Scenario-specific settings go under extra: { pingIntervall: ... }`);
    const paths = loads(seen);
    expect(paths).toHaveLength(1);
    expect(path.dirname(path.dirname(paths[0] as string))).toBe(fs.realpathSync(tmp));
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('after a scenario that throws while loading', async () => {
    const file = writeScenario("import { ramp } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1)] };\nthrow new Error('no token');\n");
    const r = await runIn(tmp, file);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`scenario ${file} threw while loading: no token (${file}:3)`);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('after a scenario that does not build', async () => {
    const file = writeScenario("import { ramp } from 'wsbench';\nexport const options = { stages: [ramp('1s', 1)] ;\n");
    const r = await runIn(tmp, file);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^cannot build scenario .*scenario\.ts: .*scenario\.ts:2:\d+: /);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
