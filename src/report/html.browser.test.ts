/**
 * report.html in a real browser (Debian's chromium, driven by playwright-core), opened from a
 * file:// URL with the network blocked: the table rows, a finding, hostile text shown as text,
 * and the charts drawn. Also reads junit.xml with the browser's own XML parser.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanReport, reportWithViolations } from './__fixtures__/sample-reports.js';
import { renderHtmlReport } from './html.js';
import { renderJunitReport } from './junit.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const title = existsSync(CHROMIUM)
  ? 'report.html in headless Chromium'
  : `report.html in headless Chromium: SKIPPED, ${CHROMIUM} is absent (apt-get install -y chromium)`;

describe.skipIf(!existsSync(CHROMIUM))(title, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tgc-html-'));
  const profile = mkdtempSync(path.join(tmpdir(), 'tgc-chromium-'));
  const violations = reportWithViolations();
  const clean = cleanReport();
  const blocked: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  let context: BrowserContext;

  const open = async (report: typeof violations, name: string): Promise<Page> => {
    const file = path.join(dir, name);
    writeFileSync(file, renderHtmlReport(report));
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);
    return page;
  };

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('renders a row per check, the findings, and hostile text as inert text', async () => {
    const page = await open(violations, 'violations.html');

    const rows = page.locator('#checks-table tbody tr');
    await expect.poll(() => rows.count()).toBe(violations.checks.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-check'), tr.getAttribute('data-status')]))).toEqual([
      ['response-completes', 'fail'],
      ['tokens-count', 'fail'],
      ['error-message-exact', 'fail'],
      ['response-headers', 'accepted'],
      ['stream-index', 'accepted'],
      ['auth-required', 'skip'],
      ['top-tokens-shape', 'error'],
      ['determinism', 'fail'],
    ]);

    const tokens = page.locator('article.finding[data-check="tokens-count"]');
    expect(await tokens.locator('.message').textContent()).toBe('the response: expected 4 tokens (generated_tokens) but details.tokens has 3');
    expect(await tokens.locator('.reproduce pre').textContent()).toContain(`curl -sS -X POST 'http://127.0.0.1:8080/generate'`);
    expect(await tokens.locator('details.response pre').textContent()).toContain('"generated_tokens": 4');

    const hostile = page.locator('article.finding[data-check="error-message-exact"] .message');
    expect(await hostile.textContent()).toContain('<script>alert(1)</script><img src=x onerror="alert(2)">');
    expect([await page.locator('script').count(), await page.locator('img').count()]).toEqual([2, 0]);
    expect(await page.locator('article.finding.suppressed .reason').textContent()).toBe('Suppressed: our proxy renumbers stream events (INFRA-42)');
    expect(await page.locator('#fixed li').allTextContents()).toEqual(['finish-reason-length|POST /generate|length-exceeded']);
  });

  it('draws the charts: latency per route, time to the first event, parameter coverage', async () => {
    const page = await open(violations, 'charts.html');
    await expect.poll(() => page.getAttribute('html', 'data-charts-drawn')).toBe('6'); // 3 routes + 2 stream routes + coverage
    const count = (selector: string): Promise<number> => page.locator(selector).count();
    expect(await count('[data-chart="latency"] svg')).toBe(3);
    expect(await count('[data-chart="latency"] svg rect')).toBeGreaterThan(0);
    expect(await count('[data-chart="latency"] svg path')).toBeGreaterThan(0);
    expect(await count('[data-chart="first-event"] svg rect')).toBeGreaterThan(0);
    expect(await count('[data-chart="coverage"] svg rect')).toBeGreaterThanOrEqual(Object.keys(violations.coverage).length);
    const box = await page.locator('[data-chart="latency"] svg').first().boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(50);
  });

  it('renders a clean run', async () => {
    const page = await open(clean, 'clean.html');
    expect(await page.locator('h1').textContent()).toBe('tgc conformance report: conforms');
    expect(await page.locator('#checks-table tbody tr').count()).toBe(clean.checks.length);
    expect(await page.locator('#violations .empty').textContent()).toBe('No violation.');
    await expect.poll(() => page.getAttribute('html', 'data-charts-drawn')).toBe('6');
  });

  it('junit.xml is well-formed for the browser\'s XML parser too', async () => {
    const page = await context.newPage();
    const counts = await page.evaluate((xml) => {
      // This runs in the page; the project compiles without the DOM library.
      type Doc = { querySelectorAll(selector: string): { length: number } };
      const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(text: string, type: string): Doc } };
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const q = (s: string): number => doc.querySelectorAll(s).length;
      return { errors: q('parsererror'), testcases: q('testcase'), failures: q('testcase > failure'), skipped: q('testcase > skipped') };
    }, renderJunitReport(violations));
    expect(counts).toEqual({ errors: 0, testcases: 8, failures: 4, skipped: 1 });
  });

  it('made no network request, raised no dialog, logged no error (a CSP violation would be one)', () => {
    expect(blocked).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
