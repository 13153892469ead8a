import net from 'node:net';
import os from 'node:os';
import { ConfigError } from '../../lib/scenario/config-error';

/** k6's web dashboard port. */
export const DEFAULT_DASHBOARD = '127.0.0.1:5665';

export interface DashboardAddress {
  host: string;
  port: number;
}

/**
 * `--dashboard [HOST:PORT]`: `HOST:PORT`, `:PORT` (loopback), `PORT`, or `[v6]:PORT`. A bare
 * `--dashboard` (yargs gives '') means the default. Port 0 picks a free port (tests).
 */
export function parseDashboard(v: string): DashboardAddress {
  const spec = v.trim() === '' ? DEFAULT_DASHBOARD : v.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d+)$/.exec(spec) ?? /^()()(\d+)$/.exec(spec);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    throw new ConfigError(`--dashboard must be HOST:PORT, e.g. 127.0.0.1:5665, 0.0.0.0:5665 or [::1]:5665 (got ${JSON.stringify(v)})`);
  }
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (net.isIPv4(host) && host.startsWith('127.'));
}

const isAnyAddress = (host: string): boolean => host === '0.0.0.0' || host === '::';

/** `http://host:port/` with v6 brackets. */
export function urlOf(host: string, port: number): string {
  return `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}/`;
}

/** The line printed when the dashboard is reachable from beyond this machine. */
export function exposureLine(host: string, port: number): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const who = isAnyAddress(host)
    ? `anyone who can reach port ${port} of this machine on any of its networks`
    : `anyone who can reach ${host} port ${port}`;
  return `dashboard: ${urlOf(host, port)} binds a non-loopback address: ${who} can now read this run's live figures, /metrics and /summary.json (no authentication; secrets are redacted)`;
}

/** The addresses of this machine, for the message of a host that is not one of them. */
export function localAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
}

/** One clear line for a listen() error. */
export function listenError(err: NodeJS.ErrnoException, host: string, port: number): ConfigError {
  const where = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new ConfigError(`--dashboard: port ${port} is in use on ${host} (another run's dashboard? give a free one: --dashboard ${net.isIPv6(host) ? `[${host}]` : host}:PORT)`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError(`--dashboard: ${host} is not an address of this machine (its addresses: ${localAddresses().join(', ')}; 0.0.0.0 binds them all)`);
    case 'EACCES':
      return new ConfigError(`--dashboard: not allowed to listen on ${where} (ports below 1024 need privileges)`);
    default:
      return new ConfigError(`--dashboard: cannot listen on ${where}: ${err.message}`);
  }
}
