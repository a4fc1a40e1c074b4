import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { startDemo, type RunningDemo } from '../../demo/app';
import { driveTraffic } from '../../demo/traffic';
import { BUILT_IN_SIGNALS, Signal, listSignals, signalsPanel, signalsPlugin } from '../../lib';

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
const PHONE_WIDTH = 390;
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
  const finishedDots = (selector = '') =>
    page.locator(`#lanes g.lane[data-signal="requestFinished"] circle.marble${selector}`);
  const routeRow = (route: string) => page.locator(`#routes g.route-row[data-route="${route}"]`);

  it('loads, lists the receivers and goes live', async () => {
    await page.goto(demo.panelUrl);
    await page.locator('#status.live').waitFor();
    await page.locator('.signal[data-signal="requestFinished"] .receiver[data-receiver="accessLog"]').waitFor();
    await page.locator('.signal[data-signal="requestFinished"] .receiver[data-receiver="slowRequestAlert"]').waitFor();
    await page
      .locator(
        '.signal[data-signal="requestStarted"] .receiver[data-receiver="closeStaleConnections"][data-paused="false"]',
      )
      .waitFor();
    // A lane for every live signal (listSignals(): the built-ins, the meta-signals, the demo's), in creation order.
    const lanes = await page
      .locator('#lanes g.lane')
      .evaluateAll((drawn) => drawn.map((lane) => lane.getAttribute('data-signal')));
    expect(lanes).toEqual(listSignals().map((signal) => signal.name));
    expect(lanes).toEqual(expect.arrayContaining(BUILT_IN_SIGNALS.map((signal) => signal.name)));
  });

  it('draws traffic on the lanes and the latency chart, and updates them', async () => {
    await Promise.all([get('/ok'), get('/ok'), get('/items/1'), get('/slow'), get('/stream')]);
    await routeRow('GET /ok').and(page.locator('[data-requests="2"]')).waitFor();
    await routeRow('GET /slow').waitFor();
    await routeRow('GET /stream').waitFor();
    expect(await finishedDots().count()).toBeGreaterThanOrEqual(5);
    expect(
      await page.locator('#lanes g.lane[data-signal="requestStarted"] circle.marble').count(),
    ).toBeGreaterThanOrEqual(5);

    const dotsBefore = await finishedDots().count();
    await Promise.all([get('/ok'), get('/ok'), get('/ok')]);
    await routeRow('GET /ok').and(page.locator('[data-requests="5"]')).waitFor(); // the chart moved
    await finishedDots()
      .nth(dotsBefore + 2)
      .waitFor(); // three more dots on the lane
    const figures = await routeRow('GET /ok').locator('.route-figures').textContent();
    expect(figures).toMatch(/^p50 [\d.]+ ms · p95 [\d.]+ ms · 5 req$/);
    // The figures refresh once a second.
    await page
      .locator('#throughput')
      .filter({ hasNotText: /^0(\.0)?$/ })
      .waitFor();
    expect(Number(await page.locator('#throughput').textContent())).toBeGreaterThan(0);
  });

  it('shows a failing request as failing', async () => {
    await get('/fail');
    await finishedDots('.failing[data-route="/fail"][data-outcome="errored"]').waitFor();
    await page
      .locator('#lanes g.lane[data-signal="gotRequestException"] circle.marble.failing[data-route="/fail"]')
      .waitFor();
    await page.locator('#recent tr.failing[data-route="/fail"][data-outcome="errored"]').waitFor();
    await routeRow('GET /fail').and(page.locator('.failing[data-failed="1"]')).waitFor();
    await page
      .locator('#error-rate')
      .filter({ hasNotText: /^0\.0 %$/ })
      .waitFor();
    // Successful requests are not drawn as failing.
    expect(await finishedDots('.failing[data-route="/ok"]').count()).toBe(0);
  });

  it('shows a paused receiver as paused', async () => {
    await fetch(`${demo.url}/cleanup/pause`, { method: 'POST' });
    await page
      .locator(
        '.signal[data-signal="requestFinished"] .receiver[data-receiver="closeStaleConnections"][data-paused="true"]',
      )
      .waitFor();
    await fetch(`${demo.url}/cleanup/resume`, { method: 'POST' });
    await page
      .locator(
        '.signal[data-signal="requestFinished"] .receiver[data-receiver="closeStaleConnections"][data-paused="false"]',
      )
      .waitFor();
  });

  it("ranks the slow audit log first among the receivers, and lists the flaky webhook's errors", async () => {
    await Promise.all([get('/items/1'), get('/items/2'), get('/slow'), get('/ok'), get('/ok'), get('/ok'), get('/ok')]);
    const first = page.locator('#receivers tbody tr.receiver-row').first();
    await first.and(page.locator('[data-receiver="auditLog"]')).waitFor();
    expect(await first.getAttribute('data-signal')).toBe('requestFinished');
    expect(await first.locator('td').nth(5).textContent()).toMatch(/^\d+ ms$/); // p95, with its unit
    const names = await page
      .locator('#receivers tbody tr.receiver-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-receiver')));
    expect(names).toEqual(expect.arrayContaining(['auditLog', 'notifyWebhook', 'accessLog']));
    expect(names).not.toContain('rx-signals panel'); // the panel's own receiver is not the app's
    await page.locator('#errors tbody tr.error-row[data-receiver="notifyWebhook"]').first().waitFor();
    expect(await page.locator('#errors tbody tr.error-row').first().textContent()).toContain(
      'webhook endpoint answered 503',
    );
  });

  it("opens a clicked request's timeline: its events, and the receivers that ran with their times", async () => {
    await get('/items/3');
    const row = page.locator('#recent tbody tr.request-row[data-route="/items/:id"]').first();
    await row.waitFor();
    await row.click();
    const timeline = page.locator('#timeline');
    await timeline
      .locator('.timeline-event[data-signal="requestFinished"] .timeline-call[data-receiver="auditLog"]')
      .waitFor();
    expect(await timeline.locator('.timeline-head').textContent()).toMatch(
      /^#\d+ GET \/items\/:id · 200 · completed · [\d.]+ ms$/,
    );
    expect(
      await timeline
        .locator('.timeline-event')
        .evaluateAll((events) => events.map((event) => event.getAttribute('data-signal'))),
    ).toEqual(['requestStarted', 'requestFinished']);
    expect(await timeline.locator('.timeline-call[data-receiver="auditLog"] .num').textContent()).toMatch(/^\d+ ms$/);
  });

  it(`fits a ${PHONE_WIDTH} px wide screen`, async () => {
    await page.setViewportSize({ width: PHONE_WIDTH, height: 844 });
    try {
      await page.locator('#receivers tbody tr.receiver-row').first().waitFor();
      // Tables scroll inside their cards; the page itself never scrolls sideways.
      expect(await page.locator('html').evaluate((root) => root.scrollWidth)).toBeLessThanOrEqual(PHONE_WIDTH);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `panel-${PHONE_WIDTH}.png`), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 960 });
    }
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

  // Last: the signals it makes would otherwise be listed (every live signal is) in the screenshot above.
  it('draws lanes for signals named constructor, toString and __proto__ (issue 9 #7)', async () => {
    const odd = ['constructor', 'toString', '__proto__'].map((name) => new Signal<{ n: number }>(name));
    // CI once waited past 5 s at "close the app" (not reproduced locally). The browser context
    // keeps its sockets after the page closes, and one busy when the app closes holds app.close(),
    // so this test closes them all. How a page's stream ends on app.close() with default options is
    // pinned in panel-stream.spec.ts.
    const app = Fastify({ forceCloseConnections: true });
    await app.register(signalsPlugin);
    await app.register(signalsPanel, { signals: [...odd, ...BUILT_IN_SIGNALS], updateIntervalMs: 50 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const other = await context.newPage();
    const errors: string[] = [];
    other.on('pageerror', (error) => errors.push(error.message));
    // Each step has its own deadline under the test's, so that a stall names the step that stalled.
    const step = async (what: string, wait: Promise<unknown>) => {
      await wait.catch((error: unknown) => {
        throw new Error(`${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      });
    };
    const within = { timeout: 5000 };
    try {
      await step(
        'open the page',
        other.goto(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/_signals`, within),
      );
      await step('the page goes live', other.locator('#status.live').waitFor(within));
      for (const signal of odd) signal.send(null, { n: 1 });
      odd[2].send(null, { n: 2 });
      await step(
        'two marbles on __proto__',
        other.locator('#lanes g.lane[data-signal="__proto__"] circle.marble').nth(1).waitFor(within),
      );
      for (const name of ['constructor', 'toString']) {
        await step(
          `a marble on ${name}`,
          other.locator(`#lanes g.lane[data-signal="${name}"] circle.marble`).first().waitFor(within),
        );
        expect(await other.locator(`#lanes g.lane[data-signal="${name}"] .lane-count`).textContent()).toBe('1 events');
      }
      await step('__proto__ listed', other.locator('.signal[data-signal="__proto__"]').waitFor(within));
      expect(errors).toEqual([]);
    } finally {
      await step('close the page', other.close());
      await step(
        'close the app',
        Promise.race([
          app.close(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('still open after 5 s')), 5000).unref()),
        ]),
      );
    }
  });
});
