import os from 'node:os';
import { SLOW_PORT_SEARCH } from './addresses';
import { connsPerProcess, ephemeralPorts, openFilesLimit, readSysctl } from './limits';

export interface PreflightInput {
  conns: number;
  workers: number;
  sourceAddresses: number;
  loopbackTarget: boolean;
  embedded: boolean;
  rampPerSec: number;
}

/** Warnings before a run whose connections cannot fit this machine's limits, each saying what to change. */
export function preflight(i: PreflightInput, limit = openFilesLimit()): string[] {
  const out: string[] = [];
  const perWorker = Math.ceil(i.conns / i.workers);
  const fit = connsPerProcess(limit);
  if (perWorker > fit) {
    out.push(`${perWorker} connections per worker exceed the open-files limit of ${limit} (room for ~${fit}): use --workers ${Math.ceil(i.conns / fit)} or more, or raise ulimit -n`);
  }
  const ports = ephemeralPorts();
  const sources = Math.max(1, i.sourceAddresses);
  if (i.conns > ports * sources) {
    out.push(`${i.conns} connections need more than the ${ports} ephemeral ports of ${sources} source address(es): add --local-address (a list or CIDR) or widen net.ipv4.ip_local_port_range`);
  } else if (!i.loopbackTarget && i.sourceAddresses <= 1 && i.conns > SLOW_PORT_SEARCH) {
    out.push(`${i.conns} connections from one source address to one target port: connect() slows down as the kernel searches ${ports} ephemeral ports, and runs out near them; spread over several with --local-address (a list or CIDR)`);
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
  const needMb = (i.conns * (i.embedded ? 30 : 12)) / 1024;
  const freeMb = os.freemem() / 1_048_576;
  if (needMb > freeMb * 0.8) {
    out.push(`${i.conns} connections need about ${Math.round(needMb)} MB of memory, and ${Math.round(freeMb)} MB are free`);
  }
  return out;
}
