import fs from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ConfigError } from '../lib/scenario/config-error';
import { K6Json, K6Point } from '../lib/results/k6-json';
import { K6Run, K6Samples } from '../lib/results/k6-samples';

/**
 * Reads the file of `k6 run --out json=FILE` (plain, or gzipped as k6 writes `FILE.gz`), streamed,
 * into the per-second records of lib/results/k6-samples.ts. Two passes: the first checks every line
 * and finds the run's first sample (samples of different VUs come slightly out of order), the second
 * buckets them from it. Bad input is one ConfigError naming the file and the line.
 */

const GZIP_MAGIC = [0x1f, 0x8b];

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    fs.closeSync(fd);
  }
}

/** The file's lines, gunzipped when it is gzip. */
async function* linesOf(file: string): AsyncGenerator<string> {
  const input = fs.createReadStream(file);
  let src: Readable = input;
  if (isGzip(file)) {
    const gunzip = zlib.createGunzip();
    pipeline(input, gunzip, () => undefined); // an error of either ends the iteration below with it
    src = gunzip;
  }
  src.setEncoding('utf8');
  let rest = '';
  for await (const chunk of src as AsyncIterable<string>) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() as string;
    yield* parts;
  }
  if (rest !== '') yield rest;
}

/** Each sample of the file, in file order; `what` prefixes every error. */
async function eachPoint(file: string, what: string, onPoint: (p: K6Point) => void): Promise<void> {
  const json = new K6Json();
  let n = 0;
  try {
    for await (const line of linesOf(file)) {
      const p = json.line(line, ++n);
      if (p) onPoint(p);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${what}: ${file}: ${err.message}`);
    throw new ConfigError(`${what}: cannot read ${file} (${(err as Error).message})`);
  }
}

/** The k6 run a file holds: its records and meta, `scenario` naming it. */
export async function readK6File(file: string, scenario: string, what = 'report --k6'): Promise<K6Run> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new ConfigError(`${what}: ${file} not found (give the file of k6 run --out json=FILE, plain or .gz)`);
  }
  let start = Infinity;
  await eachPoint(file, what, (p) => (start = Math.min(start, p.timeMs)));
  if (start === Infinity) throw new ConfigError(`${what}: ${file} holds no k6 samples (write one with k6 run --out json=FILE)`);
  const samples = new K6Samples(start);
  await eachPoint(file, what, (p) => samples.add(p));
  return samples.result(scenario);
}
