import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { listScenarios, scenarioName } from '../build/k6';
import { bundleForNode } from '../build/scenario';
import { checkModule, resolveOptions } from '../lib/options/options';
import { ROOT, runCli, tmpDir } from './helpers';
import type { K6Sandbox } from './k6-sandbox';
export { freePort } from './servers/processes';

/**
 * Proof without k6 itself: every scenario is bundled by `runner build --target k6`, then each bundle
 * runs in a sandbox holding only k6's globals and k6's modules as recording doubles, its socket
 * driven by a real loopback server.
 */

export const OUT = tmpDir('wsbench-k6-');
export const SCENARIOS = listScenarios(path.join(ROOT, 'scenarios'));
export const NAMES = SCENARIOS.map(scenarioName);
export const bundle = (name: string): string => path.join(OUT, `${name}.js`);
export const K6_IMPORTS = ['k6/data', 'k6/execution', 'k6/metrics', 'k6/timers', 'k6/websockets'];

export interface Conn {
  url: string;
  pings: number;
  closed?: { code: number; reason: string };
}

/** A loopback WebSocket server that records what each connection did. */
export async function startServer(o: { autoPong?: boolean; closeOnOpen?: { code: number; reason: string } } = {}): Promise<{ url: string; conns: Conn[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: o.autoPong ?? true, perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  const conns: Conn[] = [];
  wss.on('connection', (ws, req) => {
    const c: Conn = { url: req.url ?? '', pings: 0 };
    conns.push(c);
    ws.on('ping', () => c.pings++);
    ws.on('close', (code, reason) => (c.closed = { code, reason: reason.toString() }));
    ws.on('error', () => undefined);
    if (o.closeOnOpen) ws.close(o.closeOnOpen.code, o.closeOnOpen.reason);
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    conns,
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    }),
  };
}

/** Waits for real I/O (a bounded wait for an event, never a measured time). */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface Expected {
  /** Stages with holds resolved to the previous target. */
  stages: Array<{ duration: string; target: number }>;
  pingIntervalMs: number;
  drainMs: number;
}

/** What the bundle must export, computed here independently from the scenario module itself, loaded on Node. */
export async function expectedOf(file: string): Promise<Expected> {
  const cjs = await bundleForNode(file, ROOT);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle written by the test: its path is known only at run time
  const { options } = checkModule(require(cjs), file);
  fs.rmSync(path.dirname(cjs), { recursive: true, force: true });
  const r = resolveOptions(scenarioName(file), options, {});
  let level = 0;
  const stages = (options.stages as Array<{ duration: string; target?: number }>).map((st) => {
    level = st.target ?? level;
    return { duration: st.duration, target: level };
  });
  return { stages, pingIntervalMs: r.pingIntervalMs, drainMs: Math.max(r.connectTimeoutMs, r.pongTimeoutMs) + 5000 };
}

export function pingTimers(sb: K6Sandbox, ms: number): number {
  return sb.clock.pending.filter((t) => t.interval && t.ms === ms).length;
}

export const expected: Record<string, Expected> = {};
export const stagesOf = (name: string): Expected['stages'] => (expected[name] as Expected).stages;

/** Builds every scenario for k6 into OUT and computes what each bundle must export (each file's beforeAll). */
export async function buildBundles(): Promise<void> {
  for (const f of SCENARIOS) expected[scenarioName(f)] = await expectedOf(f);
  const r = await runCli('runner', ['build', ...SCENARIOS, '--target', 'k6', '--out-dir', OUT], { noExport: true, cwd: ROOT });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}
