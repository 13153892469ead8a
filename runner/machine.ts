import fs from 'node:fs';

/** Busy and total CPU time of the whole machine (all cores), in jiffies, from /proc/stat. */
export interface CpuTimes {
  busy: number;
  total: number;
}

export function machineCpuTimes(): CpuTimes | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined; // not Linux, or no file descriptor left (EMFILE)
  }
}

/** Share of all the machine's cores that was busy between two readings, 0-100. */
export function busyPct(from: CpuTimes | undefined, to: CpuTimes | undefined): number {
  if (!from || !to || to.total <= from.total) return 0;
  return Math.round(((to.busy - from.busy) / (to.total - from.total)) * 100);
}
