import { LiveWave, liveWaveText, LiveWaveTracker } from '../lib/results/live-wave';
import type { SecondRow } from '../lib/results/timeseries';
import type { LiveView } from './run';

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;

/** One line of live progress. Pure, so that tests can check it. */
export function progressLine(row: SecondRow, v: LiveView, wave?: LiveWave): string {
  return [
    `stage ${v.stage}/${v.stages}`,
    `${v.elapsedSec}s/${v.totalSec}s`,
    `open ${row.open}/${v.target}`,
    `${row.connects} conn/s`,
    ...(row.arrivals !== undefined ? [`+${row.arrivals}/-${row.departures ?? 0} arr/dep`] : []),
    `failed ${v.failed}`,
    `p99 ${v.p99 === null ? 'n/a' : `${v.p99.toFixed(1)}ms`}`,
    `pong ${pct(v.pongRate)}`,
    ...(row.msgsSent > 0 ? [`${row.msgsSent} msg/s`] : []),
    `cpu ${row.cpuPctMax}%`,
    ...(wave ? [liveWaveText(wave)] : []),
  ].join('  ');
}

/**
 * Live progress on stderr: on a terminal one line redrawn every second; elsewhere (CI, pipes)
 * a plain line every `everySec` seconds.
 */
export class Progress {
  private lastPlain = -Infinity;
  private drawn = false;
  private readonly waves = new LiveWaveTracker();

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
    private readonly everySec = 10,
  ) {}

  update(row: SecondRow, v: LiveView): void {
    const wave = this.waves.feed(row);
    const line = progressLine(row, v, wave);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else if (v.elapsedSec - this.lastPlain >= this.everySec) {
      this.lastPlain = v.elapsedSec;
      this.stream.write(`${line}\n`);
    }
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
  }
}
