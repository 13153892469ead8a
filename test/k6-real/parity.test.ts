import path from 'node:path';
import { startFaultServer } from '../fault-server';
import { ROOT, runCli, writeScenario } from '../helpers';
import { UNKNOWN_CLOSE_CODE } from '../../lib/k6/legacy';
import { BINARIES, buildBundle, describeK6, K6Binary, olderThan, runK6, samples } from './k6-run';
import { Figures, k6Figures, LOADS, nodeFigures, PARITY_SCENARIO, serverFigures } from './loads';
import { renderTable, TableLoad, writeTable } from './parity-table';

/**
 * Engine parity (issue 22): the four known-answer loads of test/k6-real/loads.ts on `runner run`
 * and on every k6 found, each against a fresh fault server. Every figure equals the known answer
 * and the server's own count, on both engines. The class names differ where k6 hands the script
 * less: a refused upgrade is only "bad handshake" to a k6 script (no status), and k6 < 1.5 gives
 * close events no code. The table goes into docs/k6.md.
 */

const scenario = writeScenario(PARITY_SCENARIO, 'parity.ts');
const bundles: Record<string, Promise<string>> = {};
const bundleFor = (legacy: boolean): Promise<string> => (bundles[String(legacy)] ??= buildBundle(scenario, legacy));
const NUMBERS = ['attempted', 'succeeded', 'failed', 'disconnected', 'connectLatencySamples', 'pings', 'pongs', 'pongRate', 'sent', 'acked', 'delivered', 'lost'] as const;
const numbers = (f: Figures): Partial<Figures> => Object.fromEntries(NUMBERS.map((k) => [k, f[k]]));
const title = (b: K6Binary): string => `k6 ${b.version}${b.legacy ? ' (--k6-legacy)' : ''}`;

/** What each load produced, by column title ("server", "runner run", "k6 v2.2.0"...). */
const results = new Map<string, Map<string, Figures>>(LOADS.map((l) => [l.name, new Map()]));

describeK6('engine parity on the known-answer loads', () => {
  afterAll(() => {
    // the table only from a whole pass: every load on runner run and on every k6 found
    const columns = ['server', 'runner run', ...BINARIES.map(title)];
    if (![...results.values()].every((r) => columns.every((c) => r.has(c)))) return;
    const loads: TableLoad[] = LOADS.map((l) => ({ name: l.name, columns: columns.map((c) => [c, results.get(l.name)?.get(c) as Figures]) }));
    writeTable(path.join(ROOT, 'docs', 'k6.md'), renderTable(loads));
  });

  describe.each(LOADS.map((l) => [l.name, l] as [string, (typeof LOADS)[number]]))('%s', (_name, load) => {
    const faults = { ...load.faults, deliver: {} };
    const mine = results.get(load.name) as Map<string, Figures>;

    test('runner run: the known answer, the server\'s own counts', async () => {
      const server = await startFaultServer(faults);
      try {
        const r = await runCli('runner', ['run', scenario, '--target', server.url]);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        const node = nodeFigures(r.summary!);
        const own = serverFigures(server, faults);
        expect(numbers(node)).toEqual(load.answer);
        expect(numbers(own)).toEqual(load.answer);
        expect(node.failedBy).toEqual(own.failedBy);
        expect(node.disconnectedBy).toEqual(load.answer.disconnected > 0 ? { '1006 abnormal closure': load.answer.disconnected } : {});
        mine.set('server', own);
        mine.set('runner run', node);
      } finally {
        await server.close();
      }
    });

    test.each(BINARIES.map((b) => [b.version, b] as [string, K6Binary]))('k6 %s: the same answer, the server\'s own counts', async (_v, bin) => {
      const server = await startFaultServer(faults);
      try {
        const r = await runK6(bin, await bundleFor(bin.legacy), [], { TARGET: server.url });
        const k6 = k6Figures(r);
        const own = serverFigures(server, faults);
        expect(numbers(k6)).toEqual(load.answer);
        expect(numbers(own)).toEqual(load.answer);
        // a k6 script sees a refused upgrade only as "websocket: bad handshake": no HTTP status
        expect(k6.failedBy).toEqual(load.answer.failed > 0 ? { 'bad handshake': load.answer.failed } : {});
        const dropped = olderThan(bin, 1, 5) ? UNKNOWN_CLOSE_CODE : '1006 abnormal closure';
        expect(k6.disconnectedBy).toEqual(load.answer.disconnected > 0 ? { [dropped]: load.answer.disconnected } : {});
        // the finest clock k6 gives a script (lib/k6/clock.ts): ack round trips are not whole milliseconds
        expect(samples(r, 'im_ack_rtt').some((p) => !Number.isInteger(p.value))).toBe(true);
        mine.set(title(bin), k6);
      } finally {
        await server.close();
      }
    });
  });
});
