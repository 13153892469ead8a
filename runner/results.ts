import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Summary } from '../lib/results/summary';
import type { SecondRow } from '../lib/results/timeseries';
import type { ResolvedOptions } from '../lib/scenario/types';
import { openFilesLimit, readSysctl } from './limits';
import { VERSION } from './version';
import { redactText } from '../lib/core/redact';

/** `bench/results/YYYYMMDD_HHMMSS`, as the seed's collect script names its folders (local time). */
export function defaultResultsDir(at = new Date(), base = path.join('bench', 'results')): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}_${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return path.join(base, stamp);
}

/** What the machine was: versions, limits and the sysctls that bound connection counts. */
export function environment(): Record<string, unknown> {
  return {
    node: process.version,
    wsbench: VERSION,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    hostname: os.hostname(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryMb: Math.round(os.totalmem() / 1_048_576),
    openFilesLimit: openFilesLimit(),
    sysctls: Object.fromEntries(
      ['net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.ip_local_port_range', 'fs.file-max', 'fs.nr_open', 'net.ipv4.tcp_tw_reuse']
        .map((k) => [k, readSysctl(k) ?? null]),
    ),
  };
}

export interface ResultFiles {
  summary: Summary;
  text: string;
  timeseries: SecondRow[];
  options: ResolvedOptions;
  /** More files by name: a string is written as it is, anything else as JSON (environment.json, report.html, segments.json). */
  extra?: Record<string, unknown>;
}

/** Writes the results folder: summary.json, summary.txt, timeseries.ndjson, options.json, then the extra files. */
export function writeResults(dir: string, r: ResultFiles): void {
  fs.mkdirSync(dir, { recursive: true });
  // every file passes the redactor: a secret quoted in an error class or a warning is masked too
  const write = (name: string, text: string): void => fs.writeFileSync(path.join(dir, name), redactText(text));
  write('summary.json', `${JSON.stringify(r.summary, null, 2)}\n`);
  write('summary.txt', `${r.text}\n`);
  write('timeseries.ndjson', r.timeseries.map((row) => JSON.stringify(row)).join('\n') + (r.timeseries.length ? '\n' : ''));
  write('options.json', `${JSON.stringify(r.options, null, 2)}\n`);
  for (const [name, value] of Object.entries(r.extra ?? {})) write(name, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
}
