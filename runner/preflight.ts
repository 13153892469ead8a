import { ConfigError } from '../lib/scenario/config-error';
import type { ResolvedOptions } from '../lib/scenario/types';
import { isLoopbackTarget, SLOW_PORT_SEARCH, sourceAddresses } from './addresses';
import { connsPerProcess, ephemeralPorts, memAvailableBytes, openFilesLimit, readSysctl } from './limits';

export interface PreflightInput {
  conns: number;
  workers: number;
  sourceAddresses: number;
  loopbackTarget: boolean;
  embedded: boolean;
  rampPerSec: number;
  /** Messaging keeps V8's default heap settings and buffers: more memory per connection. */
  messaging?: boolean;
}

/** What this machine offers, read once (tests pass their own). */
export interface Machine {
  openFiles: number;
  ephemeralPorts: number;
  memAvailableBytes: number;
}

export function thisMachine(): Machine {
  return { openFiles: openFilesLimit(), ephemeralPorts: ephemeralPorts(), memAvailableBytes: memAvailableBytes() };
}

/**
 * Memory per connection, measured (docs/scaling.md): a runner worker holds 7.6-9.7 KB per idle
 * connection at 100K (10 KB here), messaging ~2x; the embedded server ~30 KB; a worker process
 * itself ~60 MB before any VU.
 */
const KB = 1024;
const MB = 1_048_576;
export const MEMORY_MODEL = { runnerPerConn: 10 * KB, messagingPerConn: 20 * KB, serverPerConn: 30 * KB, perWorker: 60 * MB };

export function memoryNeeded(i: PreflightInput): number {
  const perConn = (i.messaging ? MEMORY_MODEL.messagingPerConn : MEMORY_MODEL.runnerPerConn) + (i.embedded ? MEMORY_MODEL.serverPerConn : 0);
  return i.conns * perConn + i.workers * MEMORY_MODEL.perWorker;
}

const gb = (b: number): string => (b >= 10 * 1024 * MB ? `${Math.round(b / (1024 * MB))} GB` : b >= 1024 * MB ? `${(b / (1024 * MB)).toFixed(1)} GB` : `${Math.round(b / MB)} MB`);

/**
 * The first limit this machine cannot hold the plan within, as one line naming the limit and the
 * figure; undefined when the plan fits. Checked before anything starts.
 */
export function impossiblePlan(i: PreflightInput, m: Machine = thisMachine()): string | undefined {
  const perWorker = Math.ceil(i.conns / i.workers);
  const fit = connsPerProcess(m.openFiles);
  if (perWorker > fit) {
    return `${perWorker} connections per worker exceed the open-files limit of ${m.openFiles} (room for ~${fit}): use --workers ${Math.ceil(i.conns / fit)} or more, or raise ulimit -n`;
  }
  const sources = Math.max(1, i.sourceAddresses);
  if (i.conns > m.ephemeralPorts * sources) {
    return `${i.conns} connections need more than the ${m.ephemeralPorts} ephemeral ports of ${sources} source address(es): add --local-address (a list or CIDR) or widen net.ipv4.ip_local_port_range`;
  }
  const need = memoryNeeded(i);
  if (need > m.memAvailableBytes) {
    return `${i.conns} connections need about ${gb(need)} of memory (${i.workers} worker process${i.workers > 1 ? 'es' : ''}${i.embedded ? ' and the embedded server' : ''}), and ${gb(m.memAvailableBytes)} are available: lower --conns, or split the test over several machines (--segment i/n)`;
  }
  return undefined;
}

/** Refuses an impossible plan with exit 1 (ConfigError), or with `force` notes it and goes on. */
export function refuseImpossible(i: PreflightInput, force: boolean, note: (line: string) => void = () => undefined, m?: Machine): void {
  const why = impossiblePlan(i, m);
  if (!why) return;
  if (!force) throw new ConfigError(`preflight: ${why} (--force runs it anyway)`);
  note(`preflight: ${why} (--force: running anyway)`);
}

/** Warnings before a run that fits but may suffer (the hard limits are impossiblePlan's), each saying what to change. */
export function preflight(i: PreflightInput, m: Machine = thisMachine()): string[] {
  const out: string[] = [];
  if (!i.loopbackTarget && i.sourceAddresses <= 1 && i.conns > SLOW_PORT_SEARCH && i.conns <= m.ephemeralPorts) {
    out.push(`${i.conns} connections from one source address to one target port: connect() slows down as the kernel searches ${m.ephemeralPorts} ephemeral ports, and runs out near them; spread over several with --local-address (a list or CIDR)`);
  }
  const fileMax = Number(readSysctl('fs.file-max') ?? 'NaN');
  const sockets = i.conns * (i.embedded ? 2 : 1);
  if (Number.isFinite(fileMax) && sockets > fileMax * 0.9) {
    out.push(`${sockets} sockets come close to fs.file-max (${fileMax}): raise it with sysctl -w fs.file-max=...`);
  }
  const somaxconn = Number(readSysctl('net.core.somaxconn') ?? 'NaN');
  if (i.embedded === false && Number.isFinite(somaxconn) && i.rampPerSec > somaxconn) {
    out.push(`ramp of ${Math.round(i.rampPerSec)} connections/s exceeds net.core.somaxconn (${somaxconn}) on this host: a local server's accept queue may overflow`);
  }
  const need = memoryNeeded(i);
  if (need <= m.memAvailableBytes && need > m.memAvailableBytes * 0.8) {
    out.push(`${i.conns} connections need about ${gb(need)} of memory, close to the ${gb(m.memAvailableBytes)} available`);
  }
  return out;
}

/** The plan of a run as the preflight sees it, before the embedded server (if any) starts. */
export function planOf(
  o: ResolvedOptions, conns: number, workers: number, embedded: boolean, cfg: { segment?: { count: number }; localAddress?: string },
): PreflightInput {
  const mine = Math.ceil(conns / (cfg.segment?.count ?? 1));
  const target = embedded ? 'ws://127.0.0.1:1/ws' : o.target;
  return {
    conns: mine, workers, sourceAddresses: sourceAddresses(target, mine, cfg.localAddress).length, loopbackTarget: isLoopbackTarget(target),
    embedded, rampPerSec: 0, messaging: o.mode === 'messaging',
  };
}
