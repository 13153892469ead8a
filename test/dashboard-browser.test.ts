import fs from 'node:fs';
import path from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';
import { LiveRun, spawnRun } from './dashboard-helpers';
import { CONNECT_ONLY, ROOT, tmpDir } from './helpers';

/**
 * The live page of a real run in headless Chromium (Debian's `chromium`), opened while the run
 * ramps: the open-connections chart first shows a value above 0 and below the target, then the
 * full count; the stage markers are there; nothing but the page and its /events is fetched; at
 * the end the badge turns to the verdict. A screenshot is kept under test/.artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test', '.artifacts');
const CONNS = 300;

/** Runs in the page: the largest value drawn so far on the open-connections line. */
const openDrawn = `(() => { const p = window.wsbenchLive && window.wsbenchLive.plots['chart-connections'];
  return p ? Math.max(0, ...p.u.data[1].filter((v) => v !== null)) : 0; })()`;

describe('the live page in headless Chromium', () => {
  let browser: BrowserContext;
  let run: LiveRun;
  let userDataDir: string;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
    userDataDir = tmpDir('wsbench-chromium-');
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    run = spawnRun([CONNECT_ONLY, '--conns', String(CONNS), '--ramp', '8s', '--duration', '16s', '--ping-interval', '1s',
      '--dashboard', '127.0.0.1:0', '--dashboard-linger', '60s']);
  }, 60_000);

  afterAll(async () => {
    if (run && run.proc.exitCode === null) run.proc.kill('SIGINT');
    await run?.exited;
    await browser?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test('opened mid-run: open connections above 0, then the full count; markers; final verdict', async () => {
    const url = (await run.line(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/) \(live page\)/))[1] as string;
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);

    const first = Number(await (await page.waitForFunction(`(() => { const v = ${openDrawn}; return v > 0 ? v : false; })()`, undefined, { timeout: 60_000, polling: 100 })).jsonValue());
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(CONNS); // seen during the ramp, not only at its end
    await page.waitForFunction(`${openDrawn} === ${CONNS}`, undefined, { timeout: 60_000, polling: 100 });
    expect(await page.evaluate('window.wsbenchLive.markers.map((m) => m.sec)')).toEqual([8, 16]);
    const open = await page.textContent('#f-open');
    expect(Number(open)).toBe(CONNS);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'dashboard-live.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);

    await run.line(/serving the final state/);
    await page.waitForFunction(`document.getElementById('status').textContent.startsWith('finished')`, undefined, { timeout: 30_000 });
    const s = run.summary();
    expect(await page.textContent('#f-succeeded')).toBe(String(s.connections.succeeded));
    expect(await page.textContent('#f-open')).toBe(`${s.connections.final} (peak ${s.connections.peak})`);
    const live = (await (await fetch(`${url}summary.json`)).json()) as typeof s;
    expect(live.connections).toEqual(s.connections);
    expect(errors).toEqual([]);
    expect([...new Set(requests)].sort()).toEqual([url, `${url}events`].sort());
    await page.close();
  });
});
