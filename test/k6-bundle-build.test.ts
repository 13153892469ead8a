import fs from 'node:fs';
import path from 'node:path';
import { bundleImports } from '../build/k6';
import { startFaultServer } from './fault-server';
import { ROOT, runCli, tmpDir } from './helpers';
import { allowedGlobals, freeGlobals, K6Sandbox, VirtualClock } from './k6-sandbox';
import { startServer, until } from './k6-bundle-helpers';

/** `runner build` on its own inputs: fixtures, refused imports, bad input, --k6-legacy, --target node; and the same scenarios run natively. */

test('pingType app: {"type":"ping"} frames, answered by {"type":"pong"} frames, count as pongs (test/fixtures/k6/app-ping.ts)', async () => {
  const out = tmpDir();
  const r = await runCli('runner', ['build', 'test/fixtures/k6/app-ping.ts', '--out-dir', out], { noExport: true, cwd: ROOT });
  expect(r.code).toBe(0);
  const server = await startFaultServer();
  const sb = K6Sandbox.load(path.join(out, 'app-ping.js'), { env: { TARGET: server.url } });
  try {
    sb.iteration(1);
    await until(() => sb.sockets[0]?.double.readyState === 1, 'open');
    for (let k = 1; k <= 4; k++) {
      sb.clock.advance(1000);
      await until(() => sb.count('ws_pongs_received') === k, `pong ${k}`);
    }
    sb.clock.advance(1000);
    await until(() => sb.sockets[0]?.events.includes('close') === true, 'close');
    expect(server.counts.appPings).toBe(4);
    expect(server.counts.pings).toBe(0);
    expect(sb.sockets[0]?.sent).toBe(4);
    expect(sb.rates('ws_pong_rate')).toEqual([true, true, true, true]);
  } finally {
    sb.destroy();
    await server.close();
  }
});

describe('what a k6 bundle may not hold', () => {
  test('build refuses a scenario importing a Node built-in, or ws: one line, exit 1', async () => {
    const builtin = await runCli('runner', ['build', 'test/fixtures/k6/imports-node.ts', '--out-dir', tmpDir()], { noExport: true, cwd: ROOT });
    expect(builtin.code).toBe(1);
    expect(builtin.stderr).toBe(
      'cannot build test/fixtures/k6/imports-node.ts for k6: test/fixtures/k6/imports-node.ts:1:29: test/fixtures/k6/imports-node.ts imports the Node built-in "node:fs": a k6 bundle may import only k6 and k6/* modules and pure code\n',
    );
    const ws = await runCli('runner', ['build', 'test/fixtures/k6/imports-ws.ts', '--out-dir', tmpDir()], { noExport: true, cwd: ROOT });
    expect(ws.code).toBe(1);
    expect(ws.stderr.trim().split('\n')).toHaveLength(1);
    expect(ws.stderr).toContain('imports "ws", which runs only on Node: open sockets with vu.connect() instead');
  });

  test('the static check and the sandbox both catch a bundle with a Node import or a Node global', async () => {
    const dir = tmpDir();
    const bad = path.join(dir, 'bad.js');
    fs.writeFileSync(bad, 'import fs from "node:fs";\nimport { WebSocket } from "k6/websockets";\nexport const options = {};\nexport default function () { fs.readFileSync(process.env.HOME + Buffer.from("x")); new WebSocket("ws://x"); }\n');
    expect(await bundleImports(bad)).toEqual(['k6/websockets', 'node:fs']);
    const allowed = allowedGlobals();
    expect(freeGlobals(fs.readFileSync(bad, 'utf8')).filter((g) => !allowed.has(g))).toEqual(['Buffer', 'process']);
    expect(() => K6Sandbox.load(bad, { env: {} })).toThrow('unknown modules ["node:fs"] were tried to be loaded');
  });
});

describe('runner build: input and other targets', () => {
  test('bad input: one line, exit 1', async () => {
    const missing = await runCli('runner', ['build', 'scenarios/nope.ts'], { noExport: true, cwd: ROOT });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('scenario file not found: scenarios/nope.ts (give a path like scenarios/connect-only.ts)\n');
    const target = await runCli('runner', ['build', 'scenarios/10k.ts', '--target', 'jmeter'], { noExport: true, cwd: ROOT });
    expect(target.code).toBe(1);
    expect(target.stderr).toBe('--target must be k6 or node for build (got "jmeter")\n');
  });

  test('--k6-legacy imports k6/experimental/websockets and k6/timers (k6 0.50-1.5), and runs under the 0.54 double', async () => {
    const out = tmpDir();
    const r = await runCli('runner', ['build', 'scenarios/connect-only.ts', '--k6-legacy', '--out-dir', out], { noExport: true, cwd: ROOT });
    expect(r.code).toBe(0);
    const file = path.join(out, 'connect-only.js');
    expect(await bundleImports(file)).toEqual(['k6/data', 'k6/execution', 'k6/experimental/websockets', 'k6/metrics', 'k6/timers']);
    const server = await startServer();
    const sb = K6Sandbox.load(file, { env: { TARGET: server.url }, clock: new VirtualClock(), version: '0.54' });
    try {
      sb.iteration(1);
      await until(() => server.conns.length === 1 && sb.sockets[0]?.double.readyState === 1, 'open');
      expect(sb.required).toEqual(expect.arrayContaining(['k6/experimental/websockets', 'k6/timers']));
    } finally {
      sb.destroy();
      await server.close();
    }
  });

  test('--target node writes the CommonJS bundle `runner run` loads', async () => {
    const out = tmpDir();
    const r = await runCli('runner', ['build', 'scenarios/10k.ts', '--target', 'node', '--out-dir', out], { noExport: true, cwd: ROOT });
    expect(r.code).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle written by the test: its path is known only at run time
    const mod = require(path.join(out, '10k.cjs')) as { options: { stages: unknown[] }; default: unknown };
    expect(mod.options.stages).toEqual([{ duration: '30s', target: 10_000 }, { duration: '30s' }]);
    expect(typeof mod.default).toBe('function');
  });
});

test.each(['connect-only', '10k', '50k'])('the same scenarios/%s.ts runs natively, unchanged', async (name) => {
  // a count threshold: the default latency goals would make the exit code depend on the machine's load
  const r = await runCli('runner', ['run', path.join(ROOT, 'scenarios', `${name}.ts`), '--conns', '4', '--duration', '2s', '--ramp', '1s', '--threshold', 'connections.successRate >= 1']);
  expect(r.code).toBe(0);
  expect(r.summary?.connections.attempted).toBe(4);
  expect(r.summary?.connections.succeeded).toBe(4);
});
