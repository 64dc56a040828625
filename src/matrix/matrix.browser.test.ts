/**
 * matrix.html in a real browser (Debian's chromium, driven by playwright-core), opened from a
 * file:// URL with the network blocked: the table renders a row per target and a column per
 * check, a failing cell's link scrolls to that cell's findings, hostile text stays text, and the
 * page makes no request and logs no error (a CSP violation would be one).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE } from '../report/__fixtures__/sample-reports.js';
import { chatLine, chatStreamLine, generateLine } from './__fixtures__/lines.js';
import { buildMatrix } from './build.js';
import { renderMatrixFiles } from './index.js';
import type { TgcMatrix } from './model.js';

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
  ? 'matrix.html in headless Chromium'
  : `matrix.html in headless Chromium: SKIPPED, ${CHROMIUM} is absent (apt-get install -y chromium)`;

/** Enough targets that the findings sit far below the table; one hostile provider; one secret. */
async function sample(): Promise<{ matrix: TgcMatrix; html: string }> {
  const lines: string[] = [];
  for (let i = 1; i <= 12; i++) {
    lines.push(chatLine({ provider: `clean-${i}.example`, fingerprint: `v${i}` }), chatStreamLine({ provider: `clean-${i}.example` }));
  }
  lines.push(
    chatLine({ provider: 'broken.example', finishReason: 'eos', fingerprint: '2.0.1', tgc: { requestHeaders: { authorization: 'Bearer sk-browser-secret-1' } } }),
    chatStreamLine({ provider: 'broken.example', done: false }),
    chatLine({ provider: HOSTILE, object: HOSTILE, content: HOSTILE }),
    chatLine({ provider: 'noisy.example', requestExtra: { options: { use_cache: false } } }),
    generateLine(),
  );
  const { matrix, secrets } = await buildMatrix([{ file: 'recordings.jsonl', text: lines.join('\n') }], { by: 'target', toolVersion: '0.1.0' });
  return { matrix, html: renderMatrixFiles(matrix, ['html'], secrets).get('matrix.html')! };
}

describe.skipIf(!existsSync(CHROMIUM))(title, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tgc-matrix-html-'));
  const profile = mkdtempSync(path.join(tmpdir(), 'tgc-chromium-'));
  const blocked: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  let context: BrowserContext;
  let matrix: TgcMatrix;
  let page: Page;

  beforeAll(async () => {
    const built = await sample();
    matrix = built.matrix;
    const file = path.join(dir, 'matrix.html');
    writeFileSync(file, built.html);
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);
  });

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('renders the table: a row per target, a column per exercised check, each cell with its status', async () => {
    const rows = page.locator('#matrix-table tbody tr');
    expect(await rows.count()).toBe(matrix.rows.length);
    expect(await page.locator('#matrix-table thead th.check').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-check')))).toEqual(matrix.checks.map((c) => c.id));
    const broken = page.locator('tr[data-target="broken.example"]');
    expect(await broken.getAttribute('data-status')).toBe('fail');
    expect(await broken.locator('td[data-check="openai-finish-reason"]').getAttribute('data-status')).toBe('fail');
    expect(await broken.locator('td[data-check="openai-finish-reason"]').innerText()).toBe('✗ 1/2');
    expect(await page.locator('tr[data-target="clean-1.example"] td[data-status="fail"]').count()).toBe(0);
    expect(await page.locator('tr[data-target="recordings.jsonl"] td[data-check="openai-object"]').getAttribute('data-status')).toBe('not-exercised');
    // Readable: the table is laid out wide enough, the target names are shown, each check column has width.
    const box = await page.locator('#matrix-table').boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    expect(box?.height).toBeGreaterThan(matrix.rows.length * 15);
    const header = await page.locator('#matrix-table thead th.check').first().boundingBox();
    expect(header?.width).toBeGreaterThan(15);
    expect(header?.height).toBeGreaterThan(60); // vertical check ids
    expect(await broken.locator('th .name').innerText()).toBe('broken.example');
  });

  it('a failing cell\'s link scrolls to its findings', async () => {
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    const cell = matrix.rows.find((r) => r.target === 'broken.example')!.cells.find((c) => c.check === 'openai-stream-done')!;
    const target = page.locator(`#${cell.anchor!}`);
    const before = await target.boundingBox();
    expect(before!.y).toBeGreaterThan(800); // below the fold at first
    await page.locator(`tr[data-target="broken.example"] td[data-check="openai-stream-done"] a`).click();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe(`#${cell.anchor!}`);
    const after = await target.boundingBox();
    expect(after!.y).toBeGreaterThanOrEqual(0);
    expect(after!.y).toBeLessThan(800);
    expect(await target.evaluate((el) => el.matches(':target'))).toBe(true);
    expect(await target.locator('h3').innerText()).toContain('openai-stream-done on broken.example');
    expect(await target.locator('.group').getAttribute('data-kind')).toBe('missing-done');
    expect(await target.locator('code.where').first().innerText()).toMatch(/^recordings\.jsonl:\d+$/);
    expect(await target.locator('pre.excerpt').first().innerText()).toContain('chat.completion.chunk');
  });

  it('hostile text is inert text; the secret is not in the page', async () => {
    const hostileRow = page.locator('#matrix-table tbody tr').filter({ has: page.locator('th .name', { hasText: '<script>alert(1)</script>' }) });
    expect(await hostileRow.count()).toBe(1);
    expect([await page.locator('script').count(), await page.locator('img').count()]).toEqual([0, 0]);
    const html = await page.content();
    expect(html).not.toContain('sk-browser-secret-1');
  });

  it('made no network request, raised no dialog, logged no error (a CSP violation would be one)', () => {
    expect(blocked).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
