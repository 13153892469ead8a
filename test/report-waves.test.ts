import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ROOT, tmpDir } from './helpers';
import { stormRun } from './storm';

/**
 * A disconnect wave in the reports of a real run: 300 reconnecting VUs, one server restart. The
 * text summary has its "Disconnect waves" section; report.html lists the wave and marks it on
 * every chart (a dashed amber line at its second, a band until 99% were back), checked by pixels
 * in headless Chromium. The screenshot is kept as test/.artifacts/report-wave.png.
 */
const CHROMIUM = '/usr/bin/chromium';

test('the wave is in the text summary, the HTML table and on every chart', async () => {
  const { r, s, dropped } = await stormRun({ conns: 300, restarts: 1, downMs: 1000, args: ['--reconnect', '--reconnect-initial', '300ms', '--reconnect-max', '1s'] });
  expect(dropped).toEqual([300]);
  expect(s.disconnectWaves).toHaveLength(1);
  const w = s.disconnectWaves[0]!;
  expect(w.dropped).toBe(300);
  expect(r.stdout).toContain('--- Disconnect waves ---');
  expect(r.stdout).toContain(`#1 at ${w.atSec} s: 300 dropped of ${w.openBefore} open (close 1001: 300)`);
  expect(r.stdout).toMatch(new RegExp(`open again 300/300; back within P50 ${w.recoverySec!.p50!.toFixed(2)} s`));

  const file = path.join(r.outDir, 'report.html');
  const userDataDir = tmpDir('wsbench-chromium-');
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('document.querySelectorAll(".chart[data-colors]").length > 0');
    expect(errors).toEqual([]);
    const row = await page.$eval('#waves tbody tr', (tr) => (tr as unknown as { innerText: string }).innerText);
    expect(row.split('\t').slice(0, 5).map((c) => c.trim())).toEqual(['1', String(w.atSec), '300', 'close 1001: 300', '300/300']);
    const marked = (await page.$$eval('.chart[data-colors]', (els) => els.map((el) => {
      const canvas = el.querySelector('canvas') as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const d: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let amber = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 0xd9) + Math.abs(d[i + 1]! - 0x77) + Math.abs(d[i + 2]! - 0x06) <= 30 && d[i + 3]! > 200) amber++;
      return { id: el.id, waves: el.getAttribute('data-waves'), amber };
    }))) as Array<{ id: string; waves: string | null; amber: number }>;
    expect(marked.length).toBeGreaterThanOrEqual(3);
    for (const c of marked) expect({ id: c.id, waves: c.waves, drawn: c.amber > 20 }).toEqual({ id: c.id, waves: `[${w.atSec}]`, drawn: true });
    fs.mkdirSync(path.join(ROOT, 'test', '.artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test', '.artifacts', 'report-wave.png'), fullPage: true });
  } finally {
    await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
});
