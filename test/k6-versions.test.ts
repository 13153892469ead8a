import path from 'node:path';
import { startFaultServer } from './fault-server';
import { ROOT, runCli, tmpDir } from './helpers';
import { K6Sandbox } from './k6-sandbox';
import type { K6Version } from './k6-double/modules';

/**
 * Issue 11 point 1: each build loads exactly on the k6 releases it claims (the double's module
 * tables, from k6's internal/js/jsmodules.go per release), and a legacy run does not invent 1006.
 */

const OUT = tmpDir('wsbench-k6-versions-');
const bundle = (legacy: boolean): string => path.join(OUT, legacy ? 'legacy' : 'default', 'connect-only.js');

beforeAll(async () => {
  for (const legacy of [false, true]) {
    const r = await runCli('runner', ['build', 'scenarios/connect-only.ts', '--out-dir', path.dirname(bundle(legacy)), ...(legacy ? ['--k6-legacy'] : [])], { noExport: true, cwd: ROOT });
    expect(r.code).toBe(0);
  }
});

const load = (legacy: boolean, version: K6Version): K6Sandbox => K6Sandbox.load(bundle(legacy), { env: { TARGET: 'ws://127.0.0.1:9/ws' }, version });

test.each<K6Version>(['0.50', '0.54', '1.5', '1.6'])('the --k6-legacy build loads on k6 %s', (v) => {
  const sb = load(true, v);
  expect(sb.required).toEqual(expect.arrayContaining(['k6/experimental/websockets', 'k6/timers']));
  expect(sb.required).not.toContain('k6/experimental/timers');
});

test('the default build loads on k6 1.6 and is refused by 1.5 and 0.54 with k6\'s own error', () => {
  expect(load(false, '1.6').required).toContain('k6/websockets');
  expect(() => load(false, '1.5')).toThrow(
    'unknown modules ["k6/websockets"] were tried to be loaded, but couldn\'t - this likely means automatic extension resolution is required or a custom k6 binary with the required extensions',
  );
  expect(() => load(false, '0.54')).toThrow('unknown module: k6/websockets');
});

test('the old legacy build (k6/experimental/timers) is refused from k6 0.54 on: the removed-module error', () => {
  const old = 'import { setTimeout } from "k6/experimental/timers";\nimport { WebSocket } from "k6/experimental/websockets";\nexport default function () { setTimeout(() => undefined, 1); }\n';
  expect(K6Sandbox.fromCode(old, { env: {}, version: '0.50' }).required).toContain('k6/experimental/timers');
  for (const v of ['0.54', '1.5'] as K6Version[]) {
    expect(() => K6Sandbox.fromCode(old, { env: {}, version: v })).toThrow('k6/experimental/timers has been graduated, please use k6/timers instead.');
  }
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A server that closes every connection with 4001 right after open, under a given k6 release. */
async function serverClose(legacy: boolean, version: K6Version): Promise<{ tags: string[]; event: unknown }> {
  const server = await startFaultServer({ closeEvery: { k: 1, afterMs: 0, code: 4001 } });
  const sb = K6Sandbox.load(bundle(legacy), { env: { TARGET: server.url }, version });
  try {
    void sb.iteration(1);
    await until(() => sb.sockets[0]?.events.includes('close') === true, 'the close');
    return { tags: sb.tagsOf('ws_disconnects'), event: sb.sockets[0]?.closeEvent };
  } finally {
    sb.destroy();
    await server.close();
  }
}

test('k6 >= 1.5 hands the close code to the script: one disconnect classed "close 4001"', async () => {
  const r = await serverClose(false, '1.6');
  expect(r.event).toEqual({ code: 4001, reason: 'going away' });
  expect(r.tags).toEqual(['reason:close 4001']);
});

test('k6 < 1.5 gives no close code: the legacy build says so instead of claiming 1006', async () => {
  const r = await serverClose(true, '0.54');
  expect(r.event).toEqual({});
  expect(r.tags).toHaveLength(1);
  expect(r.tags[0]).not.toBe('reason:close 1006');
  expect(r.tags[0]).toMatch(/k6 < 1\.5/);
});
