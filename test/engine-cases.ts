import { resolveOptions } from '../lib/options/options';
import { ramp } from '../lib/scenario/stages';
import { startFaultServer } from './fault-server';
import { CASES, CaseSettings, Ctx, EngineDriver } from './engine-core.table';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Registers every case of the table as a test of this engine's driver (a fresh driver per case). */
export function runEngineTable(make: () => EngineDriver): void {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const server = await startFaultServer(c.server);
    let target = server.url;
    if (c.refused) {
      await server.close(); // nothing listens on its port any more
      target = `ws://127.0.0.1:${server.port}/ws`;
    }
    const drv = make();
    try {
      const vu = drv.vu(caseOptions(target, c.settings ?? {}));
      const until: Ctx['until'] = async (pred, what) => {
        for (let i = 0; i < 2000; i++) {
          if (pred()) return;
          await drv.elapse(5);
        }
        throw new Error(`${drv.engine}: gave up waiting for ${what}: ${JSON.stringify(drv.counts())}`);
      };
      await c.run({ drv, vu, server, until });
      // let what the case started settle (closes in flight) before reading the counts
      await drv.elapse(30);
      const got = drv.counts();
      const want = { ...c.expect, ...(drv.engine === 'k6' ? c.k6 : {}) };
      expect(got).toMatchObject(want);
    } finally {
      drv.cleanup();
      if (!c.refused) await server.close();
      await sleep(0);
    }
  });
}

/** The options a case's VU sees: its target and timeouts (5 s unless the case says), the defaults otherwise. */
function caseOptions(target: string, s: CaseSettings): ReturnType<typeof resolveOptions> {
  const ms = (v: number | undefined): string => `${v ?? 5000}ms`;
  return resolveOptions('engine-table', {
    stages: [ramp('1s', 1)],
    target,
    connectTimeout: ms(s.connectTimeoutMs),
    pongTimeout: ms(s.pongTimeoutMs),
    pingType: s.pingType ?? 'protocol',
  }, {});
}
