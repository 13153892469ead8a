import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import { proxySettings, readClientCert } from './client-flags';
import { readCaFile } from './connect-flags';
import { execute } from './execute';
import { checkLang, checkWorkers, dashboardFrom, overridesFrom, parseSegment, RunArgs } from './flags';
import { parseOut } from './out-json';
import { ROOT } from '../build/paths';
import type { Streams } from './serve';

/** Built-in scenario files per `--mode` (the seed tool's modes). */
export const BUILTIN: Record<string, string> = {
  'connect-only': path.join(ROOT, 'scenarios', 'connect-only.ts'),
  messaging: path.join(ROOT, 'scenarios', 'messaging.ts'),
};

/** `--mode messaging --protocol <p>`: the built-in scenario of each wire protocol but the embedded server's JSON. */
export const PROTOCOL_SCENARIOS: Record<string, string> = {
  mqtt: path.join(ROOT, 'scenarios', 'mqtt.ts'),
  stomp: path.join(ROOT, 'scenarios', 'stomp.ts'),
  'graphql-ws': path.join(ROOT, 'scenarios', 'graphql-ws.ts'),
  socketio: path.join(ROOT, 'scenarios', 'socketio.ts'),
};

export interface AllArgs extends RunArgs {
  scenario?: string;
  /** `wsbench` runs the built-in scenario of `--mode`. */
  mode?: string;
  /** `wsbench --mode messaging`: its wire protocol (`json`, the default, or a key of PROTOCOL_SCENARIOS). */
  protocol?: string;
  summaryExport?: string;
  outDir?: string;
  threshold?: string[];
  localAddress?: string;
  insecure?: boolean;
  cert?: string;
  key?: string;
  proxy?: string;
  quiet?: boolean;
  out?: string | string[];
  force?: boolean;
}

/** `runner run <scenario>`: the flags checked and turned into one run; resolves with its exit code. */
export function runCommand(scenarioFile: string, a: AllArgs, io: Streams): Promise<number> {
  if (a.protocol !== undefined) throw new ConfigError('--protocol is a flag of wsbench --mode messaging: a scenario file speaks its own protocol');
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
      ...readClientCert(a.cert, a.key),
      proxy: proxySettings(a.proxy, process.env),
      force: a.force,
    },
    summaryExport: a.summaryExport,
    outDir: a.outDir,
    quiet: !!a.quiet,
    jsonOut: parseOut(a.out),
    dashboard: dashboardFrom(a),
    lang,
    thresholds: a.threshold,
    out: io.stdout,
    err: io.stderr,
  });
}

/** `wsbench`: the built-in scenario of `--mode`, with the seed tool's defaults under the flags given. */
export function wsbenchCommand(a: AllArgs, io: Streams): Promise<number> {
  const mode = a.mode ?? 'connect-only';
  const builtin = BUILTIN[mode];
  if (!builtin) throw new ConfigError(`--mode must be one of ${Object.keys(BUILTIN).join(', ')} (got ${JSON.stringify(mode)})`);
  const file = protocolScenario(mode, a) ?? builtin;
  const { protocol: _chosen, ...rest } = a;
  // the open model (--arrival-rate, docs/arrivals.md) has no --conns or --ramp to default
  const seedDefaults = a.arrivalRate === undefined ? { conns: 1000, duration: '60s', ramp: '30s', pingInterval: '30s' } : { duration: '60s', pingInterval: '30s' };
  return runCommand(file, { ...seedDefaults, ...definedOnly(rest) }, io);
}

/** The scenario of `--protocol` (undefined for the embedded server's JSON); only with `--mode messaging` and a `--target` broker. */
function protocolScenario(mode: string, a: AllArgs): string | undefined {
  const p = a.protocol ?? 'json';
  if (p === 'json') return undefined;
  const file = PROTOCOL_SCENARIOS[p];
  if (!file) throw new ConfigError(`--protocol must be one of json, ${Object.keys(PROTOCOL_SCENARIOS).join(', ')} (got ${JSON.stringify(p)})`);
  if (mode !== 'messaging') throw new ConfigError(`--protocol ${p} needs --mode messaging (got --mode ${mode})`);
  if (a.target === undefined) throw new ConfigError(`--protocol ${p} needs --target, the broker's WebSocket URL (the embedded server speaks JSON only)`);
  return file;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
