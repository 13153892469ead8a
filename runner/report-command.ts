import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import { renderReport } from '../lib/results/report/html';
import { uplotAssets } from './uplot';
import { summarise } from '../lib/results/summarise';
import type { Summary } from '../lib/results/summary';
import { parseThreshold } from '../lib/results/thresholds';
import { Raw, RAW_FORMAT, readRaw } from './raw';
import type { SecondRow } from '../lib/results/timeseries';

/** What a results folder holds that the reports are made of. */
export interface ResultsDir {
  dir: string;
  summary: Summary;
  timeseries: SecondRow[];
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file} not found: give a results folder written by \`runner run\` (bench/results/YYYYMMDD_HHMMSS)${what}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON (${(err as Error).message})`);
  }
}

/**
 * The results of a folder: derived again from its raw record (raw/, runner/raw.ts) by the one
 * derivation every command uses (lib/results/summarise.ts); a folder without a current raw record
 * (written by an older runner, or by hand) is read from `summary.json` and `timeseries.ndjson`.
 * One clear error when neither is there.
 */
export function readResultsDir(dir: string): ResultsDir {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ConfigError(`results folder not found: ${dir} (give a folder written by \`runner run\`, e.g. bench/results/20260101_120000)`);
  }
  const raw = rawRecordOf(dir);
  if (raw) {
    const r = summarise(raw.seconds, raw.totals, raw.totals.thresholds.map(parseThreshold));
    return { dir, summary: r.summary, timeseries: r.timeseries };
  }
  return readWritten(dir);
}

/** The folder's raw record when it has one this runner reads. */
function rawRecordOf(dir: string): Raw | undefined {
  const file = path.join(dir, 'raw', 'totals.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    if ((JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown }).format !== RAW_FORMAT) return undefined;
  } catch {
    return undefined;
  }
  return readRaw(dir, 'report');
}

/** `summary.json` and `timeseries.ndjson` as written. */
function readWritten(dir: string): ResultsDir {
  const summary = readJson(path.join(dir, 'summary.json'), '') as Summary;
  if (typeof summary !== 'object' || summary === null || typeof summary.connections !== 'object') {
    throw new ConfigError(`${path.join(dir, 'summary.json')} is not a wsbench summary (no "connections")`);
  }
  const tsFile = path.join(dir, 'timeseries.ndjson');
  const timeseries: SecondRow[] = [];
  if (fs.existsSync(tsFile)) {
    const lines = fs.readFileSync(tsFile, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        timeseries.push(JSON.parse(line) as SecondRow);
      } catch (err) {
        throw new ConfigError(`${tsFile}:${i + 1} is not valid JSON (${(err as Error).message})`);
      }
    });
  }
  return { dir, summary, timeseries };
}

/** `runner report <results-dir>`: rebuilds `report.html` from the folder's raw record (else `summary.json` and `timeseries.ndjson`). */
export function reportCommand(dir: string, out: NodeJS.WritableStream = process.stdout): number {
  const r = readResultsDir(dir);
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, renderReport({ summary: r.summary, timeseries: r.timeseries, uplot: uplotAssets() }));
  out.write(`report: ${path.resolve(file)}\n`);
  return 0;
}
