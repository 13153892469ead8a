import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Summary } from '../lib/results/summary';

/**
 * The package as users install it: `npm pack` here (its prepack script builds dist/ and dist/api),
 * `npm install ./wsbench-<version>.tgz` into an empty folder (its dependencies, and TypeScript, from
 * the npm registry), then what a user does there: a scenario importing 'wsbench' and
 * 'wsbench/helpers' type-checks against the shipped declarations, `npx runner run` and `npx wsbench`
 * run against the embedded server, `npx runner build --target k6` bundles the scenario, and plain
 * Node requires the API. Needs the npm registry (CI has it).
 */

const ROOT = path.join(__dirname, '..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The TypeScript of this repository, so that the check does not change with the registry's latest. */
const TYPESCRIPT = (JSON.parse(fs.readFileSync(require.resolve('typescript/package.json'), 'utf8')) as { version: string }).version;

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a user's shell: without what `npm test` sets for its own scripts (this
 * package's name, its folder as npm's local prefix) and without this repository's node_modules/.bin.
 */
function userEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_)/.test(k) || ['npm_command', 'npm_config_local_prefix', 'npm_config_call', 'INIT_CWD'].includes(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '').split(path.delimiter).filter((p) => p && !p.startsWith(ROOT) && !p.includes('node_modules')).join(path.delimiter);
  env.TMPDIR = tmp; // the runner's scenario bundles go here: the test checks they are gone
  return env;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command that must succeed; its output in the failure message otherwise. */
async function ok(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Done> {
  const r = await run(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

const SCENARIO = `import { hold, keepAlive, ramp, ScenarioOptions, VuContext } from 'wsbench';
import { durationSetting } from 'wsbench/helpers';

export const options: ScenarioOptions = {
  stages: [ramp('1s', 5), hold(durationSetting('2s', 'hold') ?? 0)],
  pingInterval: '1s',
  thresholds: ['connections.successRate >= 1'],
};

// @ts-expect-error: options are strict, so a typo is an error: the shipped types are read, not any
const typo: ScenarioOptions = { stages: [], pingIntervall: '1s' };
void typo;

export default function (vu: VuContext): void {
  keepAlive(vu);
}
`;

describe('the package as users install it (npm pack, npm install of the tarball)', () => {
  let base: string;
  let app: string;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let packed: { filename: string; size: number; entryCount: number; files: Array<{ path: string }> };

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'wsbench-package-'));
    app = path.join(base, 'app');
    tmp = path.join(base, 'tmp');
    for (const d of [app, tmp, path.join(base, 'pack')]) fs.mkdirSync(d);
    env = userEnv(tmp);
    const pack = await ok('npm', ['pack', '--json', '--pack-destination', path.join(base, 'pack')], ROOT, env);
    packed = (JSON.parse(pack.stdout) as Array<typeof packed>)[0] as typeof packed;
    fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'my-load-tests', private: true }, null, 2)}\n`);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext' }, files: ['my.ts'] }, null, 2)}\n`);
    fs.writeFileSync(path.join(app, 'my.ts'), SCENARIO);
    const tgz = path.join(base, 'pack', packed.filename);
    await ok('npm', ['install', '--no-audit', '--no-fund', tgz, `typescript@${TYPESCRIPT}`], app, env);
  }, 600_000);

  afterAll(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  test('the tarball holds the CLI, its bundles, the API (declarations and CommonJS), the lib sources scenarios bundle against and the built-in scenarios, nothing else', () => {
    expect(packed.filename).toBe(`wsbench-${VERSION}.tgz`);
    const files = packed.files.map((f) => f.path).sort();
    expect(files.length).toBe(packed.entryCount);
    const allowed = /^(package\.json|README\.md|bin\/(runner|wsbench)\.js|dist\/(cli|worker|server-worker)\.js(\.map)?|dist\/api\/.+\.(js|d\.ts)|lib\/.+\.ts|scenarios\/[\w-]+\.(ts|proto))$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    // the engine and HDR code are in dist/ already; no scenario or k6 bundle reaches them (.dependency-cruiser.cjs)
    expect(files.filter((f) => /^lib\/(node|metrics)\//.test(f))).toEqual([]);
    for (const f of ['bin/runner.js', 'bin/wsbench.js', 'dist/cli.js', 'dist/worker.js', 'dist/server-worker.js', 'dist/api/index.d.ts', 'dist/api/helpers.d.ts',
      'dist/api/index.js', 'dist/api/helpers.js', 'dist/api/protocols.d.ts', 'dist/api/protocols.js', 'lib/index.ts', 'lib/helpers.ts', 'lib/k6/entry.ts', 'lib/k6/url.ts', 'scenarios/connect-only.ts', 'scenarios/messaging.ts',
      'lib/protocols.ts', 'scenarios/mqtt.ts', 'scenarios/protobuf.ts']) {
      expect([f, files.includes(f)]).toEqual([f, true]);
    }
  });

  test('the bins are the installed package\'s', () => {
    for (const bin of ['runner', 'wsbench']) {
      expect(fs.realpathSync(path.join(app, 'node_modules', '.bin', bin))).toBe(fs.realpathSync(path.join(app, 'node_modules', 'wsbench', 'bin', `${bin}.js`)));
    }
  });

  test("a scenario importing 'wsbench' and 'wsbench/helpers' type-checks with the shipped declarations (tsc --noEmit)", async () => {
    const r = await run('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.'], app, env);
    expect([r.code, r.stdout + r.stderr]).toEqual([0, '']);
    // and a mistake in it is found: a stage's target is a number
    fs.writeFileSync(path.join(app, 'bad.ts'), "import { ramp } from 'wsbench';\nexport const stage = ramp('1s', 'five');\n");
    const bad = await run('npx', ['--no-install', 'tsc', '--noEmit', '--strict', '--module', 'nodenext', 'bad.ts'], app, env);
    fs.rmSync(path.join(app, 'bad.ts'));
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("bad.ts(2,33): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.\n");
  });

  test('npx runner run my.ts runs it against the embedded server, and leaves no bundle behind', async () => {
    const r = await run('npx', ['--no-install', 'runner', 'run', 'my.ts', '--conns', '5', '--duration', '3s', '--ramp', '1s', '--out-dir', 'results-run', '--quiet'], app, env);
    expect([r.code, r.stderr]).toEqual([0, `results: ${path.join(fs.realpathSync(app), 'results-run')}\n`]);
    const s = JSON.parse(fs.readFileSync(path.join(app, 'results-run', 'summary.json'), 'utf8')) as Summary;
    expect([s.connections.attempted, s.connections.succeeded, s.connections.failed]).toEqual([5, 5, 0]);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('npx wsbench runs the built-in connect-only scenario', async () => {
    const r = await run('npx', ['--no-install', 'wsbench', '--conns', '5', '--duration', '3s', '--ramp', '1s', '--threshold', 'connections.successRate >= 1', '--out-dir', 'results-wsbench', '--quiet'], app, env);
    expect([r.code, r.stderr]).toEqual([0, `results: ${path.join(fs.realpathSync(app), 'results-wsbench')}\n`]);
    const s = JSON.parse(fs.readFileSync(path.join(app, 'results-wsbench', 'summary.json'), 'utf8')) as Summary;
    expect([s.scenario, s.connections.attempted, s.connections.succeeded, s.connections.failed]).toEqual(['connect-only', 5, 5, 0]);
  });

  test('npx runner build my.ts --target k6 bundles it from the shipped lib sources', async () => {
    const r = await ok('npx', ['--no-install', 'runner', 'build', 'my.ts', '--target', 'k6'], app, env);
    expect(r.stdout).toMatch(/^dist\/k6\/my\.js {2}[\d.]+ KB {2}imports: k6\/data, k6\/execution, k6\/metrics, k6\/timers, k6\/websockets\n$/);
    expect(fs.readFileSync(path.join(app, 'dist', 'k6', 'my.js'), 'utf8')).toMatch(/^\/\/ wsbench scenario my\.ts for k6: k6 run dist\/k6\/my\.js/);
  });

  test('plain Node requires the API (dist/api, the exports map)', async () => {
    const code = "const w = require('wsbench'); const h = require('wsbench/helpers'); console.log(JSON.stringify([w.ramp('1s', 5), h.durationSetting('2s', 'x')]));";
    const r = await ok(process.execPath, ['-e', code], app, env);
    expect(r.stdout).toBe('[{"duration":"1s","target":5},2000]\n');
  });
});
