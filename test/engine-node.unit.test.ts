import { performance } from 'node:perf_hooks';
import { M } from '../lib/core/metric-names';
import { Meter } from '../lib/node/meter';
import { rawClient } from '../lib/node/raw-client';
import type { NodeSocket } from '../lib/node/socket';
import type { WsClientFactory } from '../lib/node/transport';
import { NodeVu, VuHost } from '../lib/node/vu';
import type { Socket } from '../lib/scenario/types';
import { EngineCounts, EngineDriver } from './engine-core.table';
import { runEngineTable } from './engine-cases';

/** The Node adapter (lib/node/socket.ts on `ws`, or on another client of lib/node/transport.ts) under the shared engine table. */
function nodeDriver(client?: WsClientFactory): EngineDriver {
  const meter = new Meter();
  const live = new Set<NodeSocket>();
  let vu: NodeVu | undefined;
  return {
    engine: 'node',
    vu(options) {
      const host: VuHost = {
        meter,
        options,
        settings: {
          connectTimeoutMs: options.connectTimeoutMs,
          pongTimeoutMs: options.pongTimeoutMs,
          pingType: options.pingType,
          wsOptions: {},
          client,
        },
        localAddressFor: () => undefined,
        socketCreated: (x) => void live.add(x),
        socketDone: (x) => void live.delete(x),
      };
      vu = new NodeVu(0, host);
      return vu;
    },
    counts(): EngineCounts {
      const snap = meter.second.snapshot();
      const c = (n: string): number => snap.counters[n] ?? 0;
      const r = snap.rates[M.pongRate] ?? { passes: 0, total: 0 };
      return {
        attempts: c(M.attempts),
        sessions: c(M.sessions),
        aborted: c(M.connectAborted),
        errors: Object.fromEntries(Object.entries(snap.errors).filter(([k]) => !k.startsWith('scenario error'))),
        disconnects: snap.disconnects,
        pings: c(M.pings),
        pongs: c(M.pongs),
        pongRate: { ok: r.passes, lost: r.total - r.passes },
        vusFailed: c(M.vusFailed),
        callbackErrors: c(M.callbackErrors),
        sendBufferFull: c(M.sendBufferFull),
      };
    },
    elapse: (ms) => new Promise((r) => setTimeout(r, ms)),
    expireAll(s: Socket) {
      (s as NodeSocket).expirePings(performance.now() + 60_000);
    },
    cleanup() {
      vu?.stopTimers();
      for (const s of live) s.terminate();
    },
  };
}

describe('the Node engine (ws) under the shared bookkeeping table', () => {
  runEngineTable(() => nodeDriver());
});

describe('the Node engine on the raw transport (--transport raw) under the same table', () => {
  runEngineTable(() => nodeDriver(rawClient));
});
