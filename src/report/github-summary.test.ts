import { describe, expect, it } from 'vitest';
import { appendGithubSummary, GITHUB_SUMMARY_LIMIT_BYTES } from './github-summary.js';

const recorder = (): { calls: [string, string][]; append: (file: string, text: string) => Promise<void> } => {
  const calls: [string, string][] = [];
  return { calls, append: async (file, text) => void calls.push([file, text]) };
};

describe('appendGithubSummary', () => {
  it.each([
    ['unset', {}],
    ['empty', { GITHUB_STEP_SUMMARY: '' }],
  ])('does nothing when GITHUB_STEP_SUMMARY is %s', async (_name, env) => {
    const r = recorder();
    await expect(appendGithubSummary('# report\n', { env, append: r.append })).resolves.toEqual({ written: false });
    expect(r.calls).toEqual([]);
  });

  it('appends the Markdown to the file it names, followed by a blank line', async () => {
    const r = recorder();
    const result = await appendGithubSummary('# report\n', { env: { GITHUB_STEP_SUMMARY: '/tmp/summary.md' }, append: r.append });
    expect(result).toEqual({ written: true, file: '/tmp/summary.md', truncated: false });
    expect(r.calls).toEqual([['/tmp/summary.md', '# report\n\n']]);
  });

  it('cuts a summary over GitHub\'s 1 MiB limit at a line, closing an open code fence', async () => {
    const r = recorder();
    const big = ['# report', '```sh', ...Array.from({ length: 40_000 }, (_, i) => `curl line ${i} ${'x'.repeat(20)}`), '```', 'end'].join('\n');
    const result = await appendGithubSummary(big, { env: { GITHUB_STEP_SUMMARY: 'S' }, append: r.append });
    expect(result).toMatchObject({ written: true, truncated: true });
    const text = r.calls[0]![1];
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(GITHUB_SUMMARY_LIMIT_BYTES);
    expect(text).toMatch(/x\n```\n\n\*\(cut here: GitHub limits a job summary to 1 MiB/);
  });
});
