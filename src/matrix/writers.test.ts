/**
 * matrix.md and matrix.html: the table, the links from failing cells to their findings, and
 * hostile text (what a server sent, a file name) shown as text, never as markup.
 */
import { describe, expect, it } from 'vitest';
import { HOSTILE } from '../report/__fixtures__/sample-reports.js';
import { chatLine, chatStreamLine } from './__fixtures__/lines.js';
import { buildMatrix } from './build.js';
import { renderHtmlMatrix } from './html.js';
import { renderMarkdownMatrix } from './markdown.js';
import type { TgcMatrix } from './model.js';

async function sample(by: 'target' | 'model' = 'target'): Promise<TgcMatrix> {
  const { matrix } = await buildMatrix(
    [
      {
        file: 'rec.jsonl',
        text: [
          chatLine({ provider: 'good.example', fingerprint: 'fp_1' }),
          chatLine({ provider: 'bad.example', responseModel: 'org/m', finishReason: HOSTILE, fingerprint: HOSTILE }),
          chatStreamLine({ provider: 'bad.example', model: 'org/m', done: false }),
          chatLine({ provider: HOSTILE, requestExtra: { options: {} } }),
        ].join('\n'),
      },
    ],
    { by, toolVersion: '0.1.0', now: new Date('2026-01-02T03:04:05Z') },
  );
  return matrix;
}

describe('matrix.md', () => {
  it('a header row of checks, a row per target, failing cells linked to their section', async () => {
    const m = await sample();
    const md = renderMarkdownMatrix(m);
    const table = md.split('\n').filter((l) => l.startsWith('|'));
    expect(table).toHaveLength(2 + m.rows.length);
    expect(table[0]).toContain('`openai-finish-reason`');
    const bad = table.find((l) => l.startsWith('| bad.example |'))!;
    expect(bad).toContain('[❌ 1/2](#f-r2-openai-finish-reason)'); // the stream's finish_reason is fine
    expect(bad).toContain('[❌ 1/1](#f-r2-openai-stream-done)');
    expect(md).toContain('<a id="f-r2-openai-finish-reason"></a>');
    expect(md).toContain('### ❌ bad.example: `openai-finish-reason`');
    expect(md).toMatch(/`rec\.jsonl:2` \(POST \/v1\/chat\/completions, /);
    expect(md).toContain('## Cells with warnings (they never fail)');
    expect(md).toMatch(/^# tgc compatibility matrix: 1 of 3 targets fail$/m);
  });

  it('escapes hostile text: no HTML, no link, no table break', async () => {
    const full = renderMarkdownMatrix(await sample());
    // Excerpts are fenced code blocks (shown as code); the rest is Markdown.
    const md = full.replace(/^ *```[^\n]*\n[\s\S]*?\n *```$/gm, '');
    expect(md.length).toBeLessThan(full.length);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/(?<!\\)\]\(http:\/\/evil\.test\)/);
    expect(md).toContain('&lt;script&gt;');
    // Every table line has the same number of unescaped pipes.
    const pipes = md
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .map((l) => l.replace(/\\\|/g, '').split('|').length);
    expect(new Set(pipes).size).toBe(1);
  });

  it('--by model has a model column', async () => {
    const md = renderMarkdownMatrix(await sample('model'));
    expect(md.split('\n').find((l) => l.startsWith('| target |'))).toMatch(/^\| target \| model \| versions \| exchanges \|/);
    expect(md).toContain('| bad.example | `org/m` |');
  });
});

const ALLOWED_TAGS = new Set(
  'html head meta title style body header h1 h2 h3 h4 p span code small nav a section div table thead tbody tr th td article strong ul li pre br footer'.split(' '),
);

describe('matrix.html', () => {
  it('is self-contained: a CSP that loads nothing, no script, no external reference', async () => {
    const html = renderHtmlMatrix(await sample());
    expect(html).toContain(`content="default-src 'none';`);
    const tags = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((t) => t[1]!.toLowerCase()));
    expect([...tags].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    const attributes = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].flatMap((tag) => [...tag[0].matchAll(/\s([a-zA-Z:-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, a[2] ?? '']));
    expect(attributes.filter(([name]) => ['src', 'action', 'srcset', 'style'].includes(name!) || name!.startsWith('on'))).toEqual([]);
    expect(attributes.filter(([name, value]) => name === 'href' && !value!.startsWith('#'))).toEqual([]);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('links each failing cell to its findings, and escapes hostile text', async () => {
    const m = await sample();
    const html = renderHtmlMatrix(m);
    for (const r of m.rows) {
      for (const c of r.cells) {
        if (c.status !== 'fail') continue;
        expect(html).toContain(`<a href="#${c.anchor}">`);
        expect(html).toContain(`id="${c.anchor}"`);
      }
    }
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
