import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../lib/scenario/config-error';
import { renderReport } from '../lib/results/report/html';
import { uplotAssets } from './uplot';
import type { Summary } from '../lib/results/summary';
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

/** Reads `summary.json` and `timeseries.ndjson` of a results folder; one clear error when they are not there. */
export function readResultsDir(dir: string): ResultsDir {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ConfigError(`results folder not found: ${dir} (give a folder written by \`runner run\`, e.g. bench/results/20260101_120000)`);
  }
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

/** `runner report <results-dir>`: rebuilds `report.html` from `summary.json` and `timeseries.ndjson`. */
export function reportCommand(dir: string, out: NodeJS.WritableStream = process.stdout): number {
  const r = readResultsDir(dir);
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, renderReport({ summary: r.summary, timeseries: r.timeseries, uplot: uplotAssets() }));
  out.write(`report: ${path.resolve(file)}\n`);
  return 0;
}
