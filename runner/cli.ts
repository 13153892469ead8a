import path from 'node:path';
import yargs, { Argv } from 'yargs';
import { ConfigError } from '../lib/scenario/config-error';
import { EXIT } from '../lib/results/verdict';
import { runFlags } from './flags';
import { MergeArgs, mergeCommand, mergeFlags } from './merge';
import { compareCommand } from './compare';
import { report, reportFlags } from './report-k6';
import { AllArgs, runCommand, wsbenchCommand } from './run-command';
import type { Streams } from './serve';
import { sendBufferFlags } from './send-buffer-flags';
import { VERSION } from './version';
import { chaosFlags } from './chaos-flags';
import { redactWrites } from './redact-streams';

export type { Streams } from './serve';


/** Where a command's exit code lands: each handler sets it, `main` returns it. */
type Done = (code: number) => void;

/** `runner`: the CLI, a thin layer over the library. */
function runnerCli(io: Streams, done: Done): Argv {
  return yargs()
    .scriptName('runner')
    .command(
      'run <scenario>',
      'run a scenario file (TypeScript) against a target, or the embedded server',
      (y) => runFlags(y).positional('scenario', { type: 'string', describe: 'scenario file, e.g. scenarios/10k.ts' }),
      async (a) => done(await runCommand(a.scenario as string, a as AllArgs, io)),
    )
    .command(
      'merge <dirs..>',
      'merge the results folders of n segments (--segment i/n) into one exact summary, time series and report',
      (y) => mergeFlags(y),
      (a) => done(mergeCommand(a as unknown as MergeArgs, io.stdout, io.stderr)),
    )
    .command(
      'report [dir]',
      'rebuild report.html of a results folder; --k6 FILE: a results folder from the samples of k6 run --out json=FILE',
      (y) => reportFlags(y),
      async (a) => done(await report(a, io)),
    )
    .command(
      'compare <dirA> <dirB>',
      'print two runs side by side: every summary figure with its change (absolute and %)',
      (y) =>
        y
          .positional('dirA', { type: 'string', describe: 'results folder of the first (baseline) run' })
          .positional('dirB', { type: 'string', describe: 'results folder of the second run' }),
      (a) => done(compareCommand(a.dirA as string, a.dirB as string, io.stdout)),
    )
    .command(
      'build [scenarios..]',
      'bundle scenarios for another engine: --target k6 writes dist/k6/<name>.js for k6 run / k6 cloud run',
      (y) =>
        y
          .positional('scenarios', { type: 'string', array: true, describe: 'scenario files (default: every scenarios/*.ts)' })
          .option('target', { type: 'string', default: 'k6', describe: 'engine: k6 | node' })
          .option('out-dir', { type: 'string', describe: 'output folder (default dist/<target>)' })
          .option('k6-legacy', { type: 'boolean', default: false, describe: 'for k6 0.50 to 1.5: import k6/experimental/websockets instead of k6/websockets (k6 >= 1.6); see docs/k6.md' }),
      async (a) => {
        const { buildCommand } = await import('./build-command');
        done(await buildCommand({ scenarios: (a.scenarios as string[] | undefined) ?? [], target: a.target, outDir: a.outDir, k6Legacy: a.k6Legacy, cwd: process.cwd() }, io.stdout));
      },
    )
    .command(
      'serve',
      'start the embedded IM server (ws://host:port/ws)',
      (y) =>
        sendBufferFlags(chaosFlags(y))
          .option('port', { type: 'number', default: 30084, describe: 'port (0: any free port)' })
          .option('host', { type: 'string', default: '127.0.0.1' })
          .option('path', { type: 'string', default: '/ws' })
          .option('workers', { type: 'number', describe: 'server processes (cluster); needed past ~19K connections' })
          .option('conns-per-process', { type: 'number', describe: 'connections a process takes before the next one accepts (default: its open-files share)' })
          .option('managed', { type: 'boolean', hidden: true }),
      // loaded only for serve: the server and ws stay out of a run's start (its embedded server is a child process)
      async (a) => done(await (await import('./serve')).serveCommand(a, io)),
    )
    .demandCommand(1, 'give a command: run <scenario>, serve, ... (see --help)');
}

/** `wsbench`: the seed tool's flags, running the built-in scenario of `--mode`. */
function wsbenchCli(io: Streams, done: Done): Argv {
  return runFlags(yargs())
    .scriptName('wsbench')
    .usage('$0 [--target ws://host:port/ws] [--conns 1000] [--duration 60s] [--ramp 30s] [--ping-interval 30s] [--mode connect-only]')
    .command('$0', 'run the built-in scenario of --mode', (y) => y, async (a) => done(await wsbenchCommand(a as AllArgs, io)));
}

/** One clear line for bad input; a stack only for bugs of our own, and only with WSBENCH_DEBUG. */
function failLine(err: unknown, io: Streams): number {
  const e = err as Error;
  const msg = e instanceof ConfigError || e?.name === 'YError' ? e.message : `error: ${e?.message ?? String(err)}`;
  io.stderr.write(`${msg}\n`);
  if (process.env.WSBENCH_DEBUG && e?.stack) io.stderr.write(`${e.stack}\n`);
  return EXIT.badInput;
}

/**
 * Parses `argv` and runs the command; resolves with the exit code. Writes only to `io` (help and
 * version included), never exits: callable in-process by tests.
 */
export async function main(argv: string[], io: Streams, which: 'runner' | 'wsbench' = 'runner'): Promise<number> {
  // every line printed passes the redactor (lib/core/redact.ts): no secret reaches the terminal or CI logs
  redactWrites(io.stdout);
  redactWrites(io.stderr);
  let code: number = EXIT.ok;
  const done: Done = (c) => (code = c);
  const cli = (which === 'runner' ? runnerCli(io, done) : wsbenchCli(io, done))
    .strict()
    .version(VERSION)
    .help()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new ConfigError(msg ?? 'bad arguments (see --help)');
    });
  try {
    let output = '';
    // with a callback, yargs hands over --help and --version text instead of printing it
    await cli.parseAsync(argv, {}, (_err, _argv, out) => {
      output = out;
    });
    if (output) io.stdout.write(`${output}\n`);
  } catch (err) {
    return failLine(err, io);
  }
  return code;
}

/** The process's one exit point: `bin/runner.js`, `bin/wsbench.js` and `node dist/cli.js`. */
export function cliEntry(which: 'runner' | 'wsbench'): void {
  process.setSourceMapsEnabled(true);
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, which).then((code) => process.exit(code));
}

if (require.main === module) {
  cliEntry(path.basename(process.argv[1] ?? '').startsWith('wsbench') || process.env.WSBENCH_BIN === 'wsbench' ? 'wsbench' : 'runner');
}
