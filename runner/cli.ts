import path from 'node:path';
import yargs, { Argv } from 'yargs';
import { ConfigError } from '../lib/duration';
import { startServer } from '../server/cluster';
import { readCaFile } from './connect-flags';
import { EXIT, execute } from './execute';
import { checkLang, checkWorkers, dashboardFrom, overridesFrom, parseSegment, RunArgs, runFlags } from './flags';
import { MergeArgs, mergeCommand, mergeFlags } from './merge';
import type { ServeMsg } from './embedded';
import { compareCommand } from './compare';
import { parseOut } from './out-json';
import { reportCommand } from './report-command';
import { ROOT } from './paths';

const VERSION = (require('../package.json') as { version: string }).version;

/** Built-in scenario files per `--mode` (the seed tool's modes). */
export const BUILTIN: Record<string, string> = {
  'connect-only': path.join(ROOT, 'scenarios', 'connect-only.ts'),
  messaging: path.join(ROOT, 'scenarios', 'messaging.ts'),
};

interface AllArgs extends RunArgs {
  scenario?: string;
  summaryExport?: string;
  outDir?: string;
  threshold?: string[];
  localAddress?: string;
  insecure?: boolean;
  quiet?: boolean;
  out?: string | string[];
}

async function runWith(scenarioFile: string, a: AllArgs): Promise<number> {
  const lang = checkLang(a.lang);
  const { workers, serverWorkers } = checkWorkers(a);
  return execute({
    run: {
      scenarioFile,
      overrides: overridesFrom(a),
      workers,
      serverWorkers,
      segment: parseSegment(a.segment),
      localAddress: a.localAddress,
      insecure: a.insecure,
      ca: readCaFile(a.ca),
    },
    summaryExport: a.summaryExport,
    outDir: a.outDir,
    quiet: !!a.quiet,
    jsonOut: parseOut(a.out),
    dashboard: dashboardFrom(a),
    lang,
    thresholds: a.threshold,
    out: process.stdout,
  });
}

async function serve(a: { port: number; host: string; path: string; workers?: number; managed?: boolean }): Promise<void> {
  const workers = a.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`--workers must be a whole number >= 1 (got ${a.workers})`);
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new ConfigError(`--port must be 0-65535 (got ${a.port})`);
  let server;
  try {
    server = await startServer({ workers, port: a.port, host: a.host, path: a.path });
  } catch (err) {
    throw new ConfigError(`cannot start the server on ${a.host}:${a.port}: ${(err as Error).message}`);
  }
  const stop = async (): Promise<void> => {
    await server.close();
    process.exit(0);
  };
  if (a.managed) {
    // started by `runner run`: the parent decides when to stop; Ctrl-C reaches us too and is ignored
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', () => void stop());
    process.on('disconnect', () => void stop());
    process.on('message', (m: { t: string }) => {
      if (m.t === 'stats?') void server.stats().then((stats) => process.send?.({ t: 'stats', stats } satisfies ServeMsg));
    });
    process.send?.({ t: 'listening', url: server.url, workers: server.workers } satisfies ServeMsg);
    return;
  }
  process.stdout.write(`wsbench embedded server listening on ${server.url} (${server.workers} process${server.workers > 1 ? 'es' : ''}); stats at http://${a.host}:${server.port}/stats\n`);
  const onSignal = (): void => {
    void server.stats().then((s) => {
      process.stdout.write(`\nserver stats: ${JSON.stringify(s)}\n`);
      return stop();
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** `runner`: the CLI, a thin layer over the library. */
export function runnerCli(argv: string[]): Argv {
  return yargs(argv)
    .scriptName('runner')
    .command(
      'run <scenario>',
      'run a scenario file (TypeScript) against a target, or the embedded server',
      (y) => runFlags(y).positional('scenario', { type: 'string', describe: 'scenario file, e.g. scenarios/10k.ts' }),
      async (a) => done(await runWith(a.scenario as string, a as AllArgs)),
    )
    .command(
      'merge <dirs..>',
      'merge the results folders of n segments (--segment i/n) into one exact summary, time series and report',
      (y) => mergeFlags(y),
      (a) => done(mergeCommand(a as unknown as MergeArgs)),
    )
    .command(
      'report <dir>',
      'rebuild report.html of a results folder from its summary.json and timeseries.ndjson',
      (y) => y.positional('dir', { type: 'string', describe: 'results folder, e.g. bench/results/20260101_120000' }),
      (a) => done(reportCommand(a.dir as string)),
    )
    .command(
      'compare <dirA> <dirB>',
      'print two runs side by side: every summary figure with its change (absolute and %)',
      (y) =>
        y
          .positional('dirA', { type: 'string', describe: 'results folder of the first (baseline) run' })
          .positional('dirB', { type: 'string', describe: 'results folder of the second run' }),
      (a) => done(compareCommand(a.dirA as string, a.dirB as string)),
    )
    .command(
      'build [scenarios..]',
      'bundle scenarios for another engine: --target k6 writes dist/k6/<name>.js for k6 run / k6 cloud run',
      (y) =>
        y
          .positional('scenarios', { type: 'string', array: true, describe: 'scenario files (default: every scenarios/*.ts)' })
          .option('target', { type: 'string', default: 'k6', describe: 'engine: k6 | node' })
          .option('out-dir', { type: 'string', describe: 'output folder (default dist/<target>)' })
          .option('k6-legacy', { type: 'boolean', default: false, describe: 'import k6/experimental/websockets and k6/experimental/timers (k6 releases before k6/websockets)' }),
      async (a) => {
        const { buildCommand } = await import('./build-command');
        done(await buildCommand({ scenarios: (a.scenarios as string[] | undefined) ?? [], target: a.target, outDir: a.outDir, k6Legacy: a.k6Legacy, cwd: process.cwd() }, process.stdout));
      },
    )
    .command(
      'serve',
      'start the embedded IM server (ws://host:port/ws)',
      (y) =>
        y
          .option('port', { type: 'number', default: 30084, describe: 'port (0: any free port)' })
          .option('host', { type: 'string', default: '127.0.0.1' })
          .option('path', { type: 'string', default: '/ws' })
          .option('workers', { type: 'number', describe: 'server processes (cluster); needed past ~19K connections' })
          .option('managed', { type: 'boolean', hidden: true }),
      async (a) => serve(a),
    )
    .demandCommand(1, 'give a command: run <scenario>, serve, ... (see --help)')
    .strict()
    .version(VERSION)
    .help()
    .fail(failHandler);
}

/** `wsbench`: the seed tool's flags, running the built-in scenario of `--mode`. */
export function wsbenchCli(argv: string[]): Argv {
  return runFlags(yargs(argv))
    .scriptName('wsbench')
    .usage('$0 [--target ws://host:port/ws] [--conns 1000] [--duration 60s] [--ramp 30s] [--ping-interval 30s] [--mode connect-only]')
    .command(
      '$0',
      'run the built-in scenario of --mode',
      (y) => y,
      async (a) => {
        const mode = (a.mode as string | undefined) ?? 'connect-only';
        const file = BUILTIN[mode];
        if (!file) throw new ConfigError(`--mode must be one of ${Object.keys(BUILTIN).join(', ')} (got ${JSON.stringify(mode)})`);
        const seedDefaults = { conns: 1000, duration: '60s', ramp: '30s', pingInterval: '30s' };
        done(await runWith(file, { ...seedDefaults, ...definedOnly(a as AllArgs) }));
      },
    )
    .strict()
    .version(VERSION)
    .help()
    .fail(failHandler);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function done(code: number): void {
  process.exitCode = code;
  // workers and the embedded server are gone; nothing else should keep us
  setTimeout(() => process.exit(code), 200);
}

function failHandler(msg: string | null, err: Error | undefined): void {
  fail(err ?? new ConfigError(msg ?? 'bad arguments (see --help)'));
}

/** One clear line, exit 1; a stack only for bugs of our own, and only with WSBENCH_DEBUG. */
export function fail(err: unknown): never {
  const e = err as Error;
  const msg = e instanceof ConfigError || e?.name === 'YError' ? e.message : `error: ${e?.message ?? String(err)}`;
  process.stderr.write(`${msg}\n`);
  if (process.env.WSBENCH_DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(EXIT.badInput);
}

export async function main(argv: string[], which: 'runner' | 'wsbench'): Promise<void> {
  process.setSourceMapsEnabled(true);
  try {
    await (which === 'runner' ? runnerCli(argv) : wsbenchCli(argv)).parseAsync();
  } catch (err) {
    fail(err);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), path.basename(process.argv[1] ?? '').startsWith('wsbench') || process.env.WSBENCH_BIN === 'wsbench' ? 'wsbench' : 'runner');
}
