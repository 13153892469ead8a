import type { Argv } from 'yargs';
import { ConfigError, parseDuration } from '../lib/duration';
import type { Overrides } from '../lib/options';
import type { Lang } from '../lib/report/text';

/** The seed tool's flags (and names), shared by `runner run` and `wsbench`. */
export function runFlags<T>(y: Argv<T>) {
  return y
    .option('target', { type: 'string', describe: 'WebSocket URL (ws:// or wss://); default: the embedded server on a free loopback port' })
    .option('conns', { type: 'number', describe: 'connections (VUs) to reach; rewrites the stages as ramp + hold' })
    .option('duration', { type: 'string', describe: 'whole run, ramp included (e.g. 60s, 1m30s)' })
    .option('ramp', { type: 'string', describe: 'ramp-up time (e.g. 30s)' })
    .option('ping-interval', { type: 'string', describe: 'heartbeat interval per connection (default 30s)' })
    .option('pong-timeout', { type: 'string', describe: 'a ping without pong after this counts as lost (default 10s)' })
    .option('connect-timeout', { type: 'string', describe: 'TCP connect + handshake limit (default 10s)' })
    .option('mode', { type: 'string', describe: 'connect-only | messaging' })
    .option('ping-type', { type: 'string', describe: 'protocol (ping frames) | app ({"type":"ping"})' })
    .option('summary-export', { type: 'string', describe: 'write the summary JSON to this file' })
    .option('out-dir', { type: 'string', describe: 'results folder (default bench/results/YYYYMMDD_HHMMSS)' })
    .option('threshold', { type: 'string', array: true, describe: 'pass/fail criterion, repeatable: "connectLatencyMs.p99<100"' })
    .option('workers', { type: 'number', describe: 'worker processes (default: from connections and the open-files limit)' })
    .option('server-workers', { type: 'number', describe: 'processes of the embedded server (default: from connections)' })
    .option('local-address', { type: 'string', describe: 'source addresses to rotate over: list or CIDR (127.0.0.0/24)' })
    .option('insecure', { type: 'boolean', default: false, describe: 'accept any TLS certificate (self-signed)' })
    .option('ca', { type: 'string', describe: 'PEM file of a private CA for wss://' })
    .option('lang', { type: 'string', default: 'en', describe: 'report language: en | zh' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no live progress' });
}

export interface RunArgs {
  target?: string;
  conns?: number;
  duration?: string;
  ramp?: string;
  pingInterval?: string;
  pongTimeout?: string;
  connectTimeout?: string;
  mode?: string;
  pingType?: string;
  workers?: number;
  serverWorkers?: number;
  lang?: string;
  ca?: string;
}

const dur = (v: string | undefined, flag: string): number | undefined => (v === undefined ? undefined : parseDuration(v, flag));

function wholeNumber(v: number | undefined, flag: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`${flag} must be a whole number >= ${min} (got ${Number.isNaN(v) ? 'not a number' : v})`);
  return v;
}

export function overridesFrom(a: RunArgs): Overrides {
  return {
    target: a.target,
    conns: wholeNumber(a.conns, '--conns', 1),
    durationMs: dur(a.duration, '--duration'),
    rampMs: dur(a.ramp, '--ramp'),
    pingIntervalMs: dur(a.pingInterval, '--ping-interval'),
    pongTimeoutMs: dur(a.pongTimeout, '--pong-timeout'),
    connectTimeoutMs: dur(a.connectTimeout, '--connect-timeout'),
    mode: a.mode,
    pingType: a.pingType,
  };
}

export function checkLang(v: string | undefined): Lang {
  if (v !== 'en' && v !== 'zh') throw new ConfigError(`--lang must be en or zh (got ${JSON.stringify(v)})`);
  return v;
}

export function checkWorkers(a: RunArgs): { workers?: number; serverWorkers?: number } {
  return { workers: wholeNumber(a.workers, '--workers', 1), serverWorkers: wholeNumber(a.serverWorkers, '--server-workers', 1) };
}
