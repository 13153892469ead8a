import type { Argv } from 'yargs';
import { ConfigError } from '../lib/scenario/config-error';
import { parseDuration } from '../lib/scenario/duration';
import { checkMessaging } from '../lib/helpers/messaging-settings';
import type { Overrides } from '../lib/options/options';
import type { Lang } from '../lib/results/report/text';
import { ConnectArgs, connectOverrides } from './connect-flags';
import { reconnectOverride } from '../lib/options/reconnect-flags';
import { parseDashboard } from './dashboard/address';

/** The seed tool's flags (and names), shared by `runner run` and `wsbench`. */
export function runFlags<T>(y: Argv<T>) {
  return y
    .option('target', { type: 'string', describe: 'WebSocket URL (ws:// or wss://); default: the embedded server on a free loopback port' })
    .option('conns', { type: 'number', describe: 'connections (VUs) to reach; rewrites the stages as ramp + hold' })
    .option('duration', { type: 'string', describe: 'whole run, ramp included (e.g. 60s, 1m30s)' })
    .option('ramp', { type: 'string', describe: 'ramp-up time (e.g. 30s)' })
    .option('ping-interval', { type: 'string', describe: 'heartbeat interval per connection (default 30s)' })
    .option('pong-timeout', { type: 'string', describe: 'a ping without pong after this counts as lost (default 10s)' })
    .option('connect-timeout', { type: 'string', describe: 'limit of a whole attempt: TCP connect, TLS, upgrade (default 10s)' })
    .option('handshake-timeout', { type: 'string', describe: 'limit of the upgrade once TCP/TLS is up (default: the connect timeout)' })
    .option('tokens', { type: 'string', describe: 'file of tokens, one per line, for ${token} in the target and headers (VU i gets line i mod n)' })
    .option('header', { type: 'string', array: true, describe: 'header of every connection, repeatable: "Authorization: Bearer ${token}"' })
    .option('subprotocol', { type: 'string', array: true, describe: 'WebSocket subprotocol offered, repeatable' })
    .option('mode', { type: 'string', describe: 'connect-only | messaging' })
    .option('ping-type', { type: 'string', describe: 'protocol (ping frames) | app ({"type":"ping"})' })
    .option('transport', { type: 'string', describe: 'WebSocket client: ws | raw (own upgrade over net/tls, ws framing; lighter) (default ws)' })
    .option('msg-size', { type: 'number', describe: 'messaging: bytes per message frame (default 256)' })
    .option('msg-rate', { type: 'number', describe: 'messaging: messages per second per connection (default 1)' })
    .option('room-size', { type: 'number', describe: 'messaging: 0 sends to the next user; N >= 2 sends to rooms of N users' })
    .option('summary-export', { type: 'string', describe: 'write the summary JSON to this file' })
    .option('out-dir', { type: 'string', describe: 'results folder (default bench/results/YYYYMMDD_HHMMSS)' })
    .option('threshold', { type: 'string', array: true, describe: 'pass/fail criterion, repeatable: "connectLatencyMs.p99<100"' })
    .option('workers', { type: 'number', describe: 'worker processes (default: from connections and the open-files limit)' })
    .option('server-workers', { type: 'number', describe: 'processes of the embedded server (default: from connections)' })
    .option('local-address', { type: 'string', describe: 'source addresses to rotate over: list or CIDR (127.0.0.0/24)' })
    .option('insecure', { type: 'boolean', default: false, describe: 'accept any TLS certificate (self-signed)' })
    .option('ca', { type: 'string', describe: 'PEM file of a private CA for wss://' })
    .option('lang', { type: 'string', default: 'en', describe: 'report language: en | zh' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no live progress' })
    .option('out', { type: 'string', describe: 'k6-style output streamed during the run: json=FILE (NDJSON points, one batch per second)' })
    .option('reconnect', { type: 'boolean', describe: 'reopen a dropped connection after a backoff (scenarios using keepAlive); --no-reconnect turns a scenario\'s off' })
    .option('reconnect-initial', { type: 'string', describe: 'first wait after a drop (default 1s); turns --reconnect on' })
    .option('reconnect-max', { type: 'string', describe: 'longest wait between retries (default 30s); turns --reconnect on' })
    .option('reconnect-jitter', { type: 'number', describe: 'random share of each wait, 0 to 1 (default 0.5); turns --reconnect on' })
    .option('force', { type: 'boolean', default: false, describe: 'run a plan the preflight finds this machine cannot hold (memory, open files, ports)' })
    .option('segment', { type: 'string', describe: "this generator's share i/n of a split run, 0-based: 0/3, 1/3, 2/3 (JOB_COMPLETION_INDEX/N)" })
    // live endpoints (runner/dashboard)
    .option('dashboard', { type: 'string', describe: 'serve the live page, /metrics (Prometheus) and /summary.json on HOST:PORT during the run (bare flag: 127.0.0.1:5665)' })
    .option('dashboard-linger', { type: 'string', describe: 'keep serving the final state this long after the run, for a last scrape (default 0s)' });
}

export interface RunArgs extends ConnectArgs {
  target?: string;
  conns?: number;
  duration?: string;
  ramp?: string;
  pingInterval?: string;
  pongTimeout?: string;
  connectTimeout?: string;
  mode?: string;
  pingType?: string;
  transport?: string;
  msgSize?: number;
  msgRate?: number;
  roomSize?: number;
  workers?: number;
  serverWorkers?: number;
  lang?: string;
  ca?: string;
  segment?: string;
  reconnect?: boolean;
  reconnectInitial?: string;
  reconnectMax?: string;
  reconnectJitter?: number;
  dashboard?: string;
  dashboardLinger?: string;
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
    ...connectOverrides(a),
    mode: a.mode,
    pingType: a.pingType,
    transport: a.transport,
    extra: messagingExtra(a),
    reconnect: reconnectOverride({ on: a.reconnect, initial: a.reconnectInitial, max: a.reconnectMax, jitter: a.reconnectJitter }),
  };
}

const MSG_FLAGS: Record<string, string> = { msgSize: '--msg-size', msgRate: '--msg-rate', roomSize: '--room-size' };

/** Messaging flags, passed to the scenario as `vu.options.extra`; checked by the scenario's own validator. */
function messagingExtra(a: RunArgs): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  if (a.msgSize !== undefined) extra.msgSize = a.msgSize;
  if (a.msgRate !== undefined) extra.msgRate = a.msgRate;
  if (a.roomSize !== undefined) extra.roomSize = a.roomSize;
  if (Object.keys(extra).length === 0) return undefined;
  checkMessaging(extra, (key) => MSG_FLAGS[key] ?? key);
  return extra;
}

export function checkLang(v: string | undefined): Lang {
  if (v !== 'en' && v !== 'zh') throw new ConfigError(`--lang must be en or zh (got ${JSON.stringify(v)})`);
  return v;
}

export function checkWorkers(a: RunArgs): { workers?: number; serverWorkers?: number } {
  return { workers: wholeNumber(a.workers, '--workers', 1), serverWorkers: wholeNumber(a.serverWorkers, '--server-workers', 1) };
}

/**
 * `--segment i/n`, 0-based as Kubernetes' JOB_COMPLETION_INDEX: generator i of n runs every n-th VU
 * of every stage (i, i+n, i+2n, ...), so the n segments together run the whole test exactly once.
 */
/** `--dashboard [HOST:PORT]` and `--dashboard-linger`; undefined without --dashboard. */
export function dashboardFrom(a: RunArgs): { host: string; port: number; lingerMs: number } | undefined {
  if (a.dashboard === undefined) {
    if (a.dashboardLinger !== undefined) throw new ConfigError('--dashboard-linger needs --dashboard');
    return undefined;
  }
  return { ...parseDashboard(a.dashboard), lingerMs: dur(a.dashboardLinger, '--dashboard-linger') ?? 0 };
}

export function parseSegment(v: string | undefined): { index: number; count: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) {
    const unexpanded = v.includes('$') ? '; the variable was not expanded' : '';
    const why = m && count >= 1 && index >= count ? `; i counts from 0, so the last of ${count} is ${count - 1}/${count}` : '';
    throw new ConfigError(`--segment must be i/n with 0 <= i < n, e.g. 0/3, 1/3 and 2/3 for three generators (got ${JSON.stringify(v)}${why}${unexpanded})`);
  }
  return { index, count };
}
