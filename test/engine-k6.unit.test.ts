import esbuild from 'esbuild';
import path from 'node:path';
import { M } from '../lib/core/metric-names';
import { CONNECT_SUCCESS } from '../lib/k6/names';
import type { ResolvedOptions, Socket, VuContext } from '../lib/scenario/types';
import { EngineCounts, EngineDriver } from './engine-core.table';
import { runEngineTable } from './engine-cases';
import { K6Sandbox } from './k6-sandbox';
import { startFaultServer } from './fault-server';
import { resolveOptions } from '../lib/options/options';
import { ramp } from '../lib/scenario/stages';
import { redactUrl } from '../lib/core/redact';

/**
 * The k6 adapter (lib/k6/socket.ts, vu.ts) under the shared engine table: bundled with esbuild as
 * the k6 build bundles it (k6 modules external, ES module), loaded in the k6 double of
 * test/k6-sandbox.ts, whose WebSocket drives a real `ws` client against the real fault server.
 */
let code = '';
beforeAll(() => {
  const r = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'fixtures', 'k6', 'engine-harness.ts')],
    bundle: true, format: 'esm', platform: 'neutral', target: 'es2015', write: false,
    external: ['k6', 'k6/*'], define: { global: 'globalThis' }, logLevel: 'silent',
  });
  code = (r.outputFiles[0] as esbuild.OutputFile).text;
});

type Harness = { made: { vu?: VuContext; release?: () => void } };

function k6Driver(): EngineDriver & { readonly sandbox: K6Sandbox } {
  let box: K6Sandbox | undefined;
  let release: (() => void) | undefined;
  const sandbox = (): K6Sandbox => {
    if (!box) throw new Error('no VU made yet');
    return box;
  };
  const byTag = (metric: string, tag: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const s of sandbox().samples) {
      if (s.metric !== metric) continue;
      const k = s.tags?.[tag] ?? '';
      out[k] = (out[k] ?? 0) + (s.value as number);
    }
    return out;
  };
  return {
    get sandbox() {
      return sandbox();
    },
    engine: 'k6',
    vu(options: ResolvedOptions) {
      // one sandbox (one k6 test) per case: VU 1's realm evaluates the init context, then default makes the VU
      box = K6Sandbox.fromCode(code, { env: { ENGINE_OPTIONS: JSON.stringify(options) } });
      void box.iteration(1); // resolves when the VU's event loop empties; the case drives it meanwhile
      const made = (box.realms.get(1)?.exports as unknown as Harness | undefined)?.made;
      const vu = made?.vu;
      if (!vu) throw new Error('the harness made no VU');
      release = made?.release;
      return vu;
    },
    counts(): EngineCounts {
      const sb = sandbox();
      const rate = sb.rates(M.pongRate);
      return {
        attempts: sb.count(M.attempts),
        // ws_sessions is k6's own; the adapter's share of attempts that opened stands for it
        sessions: sb.rates(CONNECT_SUCCESS).filter((ok) => ok).length,
        aborted: sb.count(M.connectAborted),
        errors: byTag(M.connectErrors, 'error'),
        disconnects: byTag(M.disconnects, 'reason'),
        pings: sb.count(M.pings),
        pongs: sb.count(M.pongs),
        pongRate: { ok: rate.filter((x) => x).length, lost: rate.filter((x) => !x).length },
        vusFailed: sb.count(M.vusFailed),
        callbackErrors: sb.count(M.callbackErrors),
        sendBufferFull: sb.count(M.sendBufferFull),
      };
    },
    async elapse(ms) {
      await new Promise((r) => setTimeout(r, ms));
      box?.clock.advance(ms);
    },
    expireAll(s: Socket) {
      (s as unknown as { expirePings(now: number): void }).expirePings(sandbox().clock.now + 60_000);
    },
    cleanup() {
      release?.();
      box?.destroy();
    },
  };
}

describe('the k6 engine (k6/websockets double) under the shared bookkeeping table', () => {
  runEngineTable(k6Driver);
});

describe('k6 only: what k6 tags its ws_* samples with', () => {
  test('the name tag is the target template (one series per scenario, not per VU), without the secrets of the URL', async () => {
    const server = await startFaultServer({});
    const drv = k6Driver();
    try {
      const template = `${server.url}?uid=\${vu}&key=abc123`;
      const vu = drv.vu(resolveOptions('tags', { stages: [ramp('1s', 1)], target: template }, {}));
      vu.connect();
      vu.connect(`${server.url.replace('ws://', 'ws://user:pw@')}?room=\${vu}`);
      const params = drv.sandbox.sockets.map((s) => s.params);
      expect(params).toEqual([
        { tags: { name: `${server.url}?uid=\${vu}&key=***` } },
        { tags: { name: `${server.url.replace('ws://', 'ws://***@')}?room=\${vu}` } },
      ]);
      expect(drv.sandbox.sockets[0]?.url).toBe(`${server.url}?uid=0&key=abc123`);
    } finally {
      drv.cleanup();
      await server.close();
    }
  });

  test('the tag keeps placeholders and masks userinfo and credential values (the one redactor of every output)', () => {
    expect(redactUrl('wss://u:p@h:1/ws?token=${token}&apikey=k-123&room=7&b=${vu}x#f')).toBe('wss://***@h:1/ws?token=${token}&apikey=***&room=7&b=${vu}x#f');
    expect(redactUrl('ws://h/ws')).toBe('ws://h/ws');
  });
});

describe('k6 only: scenario errors in k6 log', () => {
  test('printed once per distinct text, with the place it was thrown, at most 20 distinct texts', async () => {
    const drv = k6Driver();
    try {
      const vu = drv.vu(resolveOptions('errors', { stages: [ramp('1s', 1)], target: 'ws://127.0.0.1:9/ws' }, {}));
      for (let i = 0; i < 25; i++) {
        vu.setTimeout(() => {
          throw new Error(`no seat ${i}`);
        }, 1);
        vu.setTimeout(() => {
          throw new Error('same every time');
        }, 1);
      }
      await drv.elapse(5);
      expect(drv.counts()).toMatchObject({ vusFailed: 1, callbackErrors: 49 });
      const printed = drv.sandbox.logs.filter((l) => l.startsWith('error: scenario error: '));
      expect(printed).toHaveLength(20);
      expect(new Set(printed).size).toBe(20);
      expect(printed[0]).toMatch(/^error: scenario error: no seat 0 \(\S+:\d+\)$/);
      expect(printed.filter((l) => l.includes('same every time'))).toHaveLength(1);
    } finally {
      drv.cleanup();
    }
  });
});
