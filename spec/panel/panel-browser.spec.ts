import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/app';
import { driveTraffic } from '../../demo/traffic';

/**
 * The panel in a real browser: Debian's Chromium driven by playwright-core (never a downloaded
 * browser). In CI (CI=true) it always runs: a missing Chromium fails it. Locally without
 * Chromium it is skipped with a note (apt-get install -y chromium).
 */
const CHROMIUM = '/usr/bin/chromium';
const inCI = process.env.CI === 'true';
const runs = inCI || existsSync(CHROMIUM);
if (!runs) console.warn(`panel browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium).`);

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const DOCS_SCREENSHOT = join(__dirname, '..', '..', 'docs', 'panel.png');

(runs ? describe : describe.skip)('signals panel in Chromium', () => {
  let demo: RunningDemo;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    demo = await startDemo({
      port: 0,
      traffic: false, // the test makes its own, to know what to expect
      logger: false,
      slowMs: 150,
      chunkGapMs: 20,
      panelUpdateIntervalMs: 100,
    });
    userDataDir = await mkdtemp(join(tmpdir(), 'rx-signals-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 960 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(demo.url)) foreignRequests.push(request.url());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await demo?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(demo.url + path).then((response) => response.arrayBuffer());
  const finishedDots = (selector = '') => page.locator(`#lanes g.lane[data-signal="requestFinished"] circle.marble${selector}`);
  const routeRow = (route: string) => page.locator(`#routes g.route-row[data-route="${route}"]`);

  it('loads, lists the receivers and goes live', async () => {
    await page.goto(demo.panelUrl);
    await page.locator('#status.live').waitFor();
    await page.locator('.signal[data-signal="requestFinished"] .receiver[data-receiver="accessLog"]').waitFor();
    await page.locator('.signal[data-signal="requestFinished"] .receiver[data-receiver="slowRequestAlert"]').waitFor();
    await page.locator('.signal[data-signal="requestStarted"] .receiver[data-receiver="closeStaleConnections"][data-paused="false"]').waitFor();
    expect(await page.locator('#lanes g.lane').evaluateAll((lanes) => lanes.map((lane) => lane.getAttribute('data-signal')))).toEqual([
      'requestStarted',
      'gotRequestException',
      'requestFinished',
      'templateRendered',
      'settingChanged',
    ]);
  });

  it('draws traffic on the lanes and the latency chart, and updates them', async () => {
    await Promise.all([get('/ok'), get('/ok'), get('/items/1'), get('/slow'), get('/stream')]);
    await routeRow('GET /ok').and(page.locator('[data-requests="2"]')).waitFor();
    await routeRow('GET /slow').waitFor();
    await routeRow('GET /stream').waitFor();
    expect(await finishedDots().count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('#lanes g.lane[data-signal="requestStarted"] circle.marble').count()).toBeGreaterThanOrEqual(5);

    const dotsBefore = await finishedDots().count();
    await Promise.all([get('/ok'), get('/ok'), get('/ok')]);
    await routeRow('GET /ok').and(page.locator('[data-requests="5"]')).waitFor(); // the chart moved
    await finishedDots().nth(dotsBefore + 2).waitFor(); // three more dots on the lane
    const figures = await routeRow('GET /ok').locator('.route-figures').textContent();
    expect(figures).toMatch(/^p50 [\d.]+ ms · p95 [\d.]+ ms · 5 req$/);
    expect(Number(await page.locator('#throughput').textContent())).toBeGreaterThan(0);
  });

  it('shows a failing request as failing', async () => {
    await get('/fail');
    await finishedDots('.failing[data-route="/fail"][data-outcome="errored"]').waitFor();
    await page.locator('#lanes g.lane[data-signal="gotRequestException"] circle.marble.failing[data-route="/fail"]').waitFor();
    await page.locator('#recent tr.failing[data-route="/fail"][data-outcome="errored"]').waitFor();
    await routeRow('GET /fail').and(page.locator('.failing[data-failed="1"]')).waitFor();
    await page.locator('#error-rate').filter({ hasNotText: /^0\.0 %$/ }).waitFor();
    // Successful requests are not drawn as failing.
    expect(await finishedDots('.failing[data-route="/ok"]').count()).toBe(0);
  });

  it('shows a paused receiver as paused', async () => {
    await fetch(`${demo.url}/cleanup/pause`, { method: 'POST' });
    await page.locator('.signal[data-signal="requestFinished"] .receiver[data-receiver="closeStaleConnections"][data-paused="true"]').waitFor();
    await fetch(`${demo.url}/cleanup/resume`, { method: 'POST' });
    await page.locator('.signal[data-signal="requestFinished"] .receiver[data-receiver="closeStaleConnections"][data-paused="false"]').waitFor();
  });

  it('saves a screenshot, with no page errors and no request outside the app', async () => {
    // The demo's own traffic for a few seconds, so the picture shows lanes spread out in time.
    const traffic = driveTraffic(demo.url, 100);
    await routeRow('GET (unmatched)').waitFor();
    await page.waitForTimeout(2500); // only for the picture: nothing below depends on it
    await traffic.stop();
    await mkdir(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'panel.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(existsSync(screenshot)).toBe(true);
    // Refresh the README's picture on demand: UPDATE_PANEL_SCREENSHOT=1 npm test.
    if (process.env.UPDATE_PANEL_SCREENSHOT === '1') await copyFile(screenshot, DOCS_SCREENSHOT);
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
