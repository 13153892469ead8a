/* eslint-disable @typescript-eslint/no-explicit-any -- page functions run in Chromium, and this project's types have no DOM lib */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserContext, chromium } from 'playwright-core';
import { ROOT, runCli, tmpDir, writeScenario, CliResult } from './helpers';

/**
 * The HTML report of a real run, opened in headless Chromium (Debian's `chromium`; `.ci/run`
 * installs it): every chart drew its lines, the thresholds table shows the run's values, nothing
 * is fetched from the network, and a screenshot is kept under test/.artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test', '.artifacts');

// 40 VUs that ping every 500 ms and send a timestamped text frame every 200 ms; the embedded
// server echoes text that does not start with "{", so messages and their latency are real.
const SCENARIO = `
import { hold, keepAlive, ramp, VuContext } from 'wsbench';
export const options = { stages: [ramp('2s', 40), hold('2s')], pingInterval: '500ms' };
export default function (vu: VuContext): void {
  const s = keepAlive(vu);
  const latency = vu.trend('ws_msg_latency');
  s.addEventListener('open', () => { vu.setInterval(() => s.send('t' + vu.now()), 200); });
  s.addEventListener('message', (e) => {
    if (typeof e.data === 'string' && e.data.startsWith('t')) latency.add(vu.now() - Number(e.data.slice(1)));
  });
}
`;

const ALL_CHARTS = ['chart-connections', 'chart-connect-latency', 'chart-pong-rate', 'chart-failures', 'chart-messages', 'chart-message-latency'];

interface ChartPixels {
  id: string;
  canvases: number;
  painted: number;
  /** Per series colour: pixels of that colour. */
  series: Array<{ color: string; pixels: number }>;
}

/** Runs in the page: counts painted pixels and pixels of each series' colour on every drawn chart. */
function countPixels(): ChartPixels[] {
  const doc = (globalThis as any).document;
  const hex = (c: string): number[] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
  return Array.from(doc.querySelectorAll('.chart:not(.empty)')).map((el: any) => {
    const colors: string[] = JSON.parse(el.getAttribute('data-colors') ?? '[]');
    const canvases = el.querySelectorAll('canvas');
    const out = { id: el.id as string, canvases: canvases.length, painted: 0, series: colors.map((color) => ({ color, pixels: 0 })) };
    const want = colors.map(hex);
    for (const canvas of Array.from(canvases) as any[]) {
      const d: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < d.length; i += 4) {
        if ((d[i + 3] as number) === 0) continue;
        out.painted++;
        if ((d[i + 3] as number) < 200) continue;
        want.forEach((w, k) => {
          const dist = Math.abs((d[i] as number) - (w[0] as number)) + Math.abs((d[i + 1] as number) - (w[1] as number)) + Math.abs((d[i + 2] as number) - (w[2] as number));
          if (dist <= 30) (out.series[k] as { pixels: number }).pixels++;
        });
      }
    }
    return out;
  });
}

describe('report.html in headless Chromium', () => {
  let run: CliResult;
  let browser: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
    run = await runCli('runner', ['run', writeScenario(SCENARIO, 'echo.ts')]);
    userDataDir = tmpDir('wsbench-chromium-');
    // a fresh profile (playwright passes it as --user-data-dir), and nothing that phones home
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test('every chart drew, the thresholds table shows the run, nothing is fetched', async () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    const s = run.summary!;
    expect(s.connections.succeeded).toBe(40);
    expect(s.messages.latencyMs.count).toBeGreaterThan(0);

    const file = path.join(run.outDir, 'report.html');
    const html = fs.readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);

    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('document.querySelectorAll(".chart[data-colors]").length === 6', undefined, { timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    const charts = (await page.evaluate(countPixels)) as ChartPixels[];
    expect(charts.map((c) => c.id).sort()).toEqual([...ALL_CHARTS].sort());
    for (const c of charts) {
      expect({ id: c.id, canvases: c.canvases > 0, painted: c.painted > 0 }).toEqual({ id: c.id, canvases: true, painted: true });
      // each series' own colour is on the canvas: its line was drawn, not just axes and grid
      for (const sr of c.series) expect({ id: c.id, color: sr.color, drawn: sr.pixels > 0 }).toEqual({ id: c.id, color: sr.color, drawn: true });
    }

    const rows = (await page.$$eval('#thresholds-table tbody tr', (trs) => trs.map((tr) => (tr as any).innerText as string))) as string[];
    const expected = Object.entries(s.thresholds).map(([expr, r]) => ({ expr, mark: r.ok ? '✓' : '✗', value: String(r.value) }));
    expect(expected).toHaveLength(3);
    expect(rows).toHaveLength(3);
    expected.forEach((e, i) => {
      const cells = (rows[i] as string).split('\t').map((c) => c.trim());
      expect(cells).toEqual([e.mark, e.expr, e.value]);
    });
    expect(await page.textContent('#status')).toBe('PASSED');

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });
});
