import fs from 'node:fs';
import os from 'node:os';

/** The soft open-files limit of this process (RLIMIT_NOFILE), read from /proc; 1024 if unknown. */
export function openFilesLimit(): number {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    if (m) return m[1] === 'unlimited' ? 1_048_576 : Number(m[1]);
  } catch {
    /* not Linux */
  }
  return 1024;
}

/** File descriptors a process keeps for itself (stdio, IPC, libuv, loaded files): 500, or a tenth of a small limit. */
export function fdHeadroom(limit: number): number {
  return Math.min(500, Math.ceil(limit / 10));
}

/** Connections one process may hold: the open-files limit less headroom, less 5% for sockets still closing. */
export function connsPerProcess(limit = openFilesLimit()): number {
  return Math.max(1, Math.floor((limit - fdHeadroom(limit)) * 0.95));
}

/** Workers needed so that no process passes its open-files limit. */
export function workersFor(conns: number, limit = openFilesLimit()): number {
  return Math.max(1, Math.ceil(conns / connsPerProcess(limit)));
}

/** Connections from one source address to one destination before ephemeral ports run out. */
export function ephemeralPorts(): number {
  try {
    const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo !== undefined && hi !== undefined && hi >= lo) return hi - lo + 1;
  } catch {
    /* not Linux */
  }
  return 28_232;
}

export function readSysctl(name: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim().replace(/\s+/g, ' ');
  } catch {
    return undefined;
  }
}

export const cores = (): number => os.availableParallelism?.() ?? os.cpus().length;

/** Memory the kernel can give without swapping (MemAvailable), bytes; free memory if unknown. */
export function memAvailableBytes(): number {
  try {
    const m = /MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return os.freemem();
}
