/**
 * `tgc validate request|response|stream --api openai`: lone files of the OpenAI-compatible routes,
 * the route from `--route` or from the request's keys (never from the body's `object`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './program.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tgc-validate-openai-'));
const file = (name: string, text: string): string => {
  writeFileSync(path.join(dir, name), text);
  return name;
};

const chunk = (delta: object, finish: string | null): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
const GOOD_STREAM = file('good.sse', chunk({ role: 'assistant', content: '' }, null) + chunk({ content: 'two' }, null) + chunk({}, 'stop') + 'data: [DONE]\n\n');
const EOS_STREAM = file('eos.sse', chunk({ role: 'assistant', content: 'two' }, null) + chunk({}, 'eos_token'));
const CHAT_REQUEST = file('chat.json', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'one + one =' }], stream: true }));
const COMPLETION = file(
  'completion.json',
  JSON.stringify({ id: 'x', object: 'text.completion', created: 1, model: 'm', choices: [{ index: 0, text: ' a city', finish_reason: 'length', logprobs: null }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }),
);
const COMPLETION_REQUEST = file('completion-request.json', JSON.stringify({ model: 'm', prompt: 'Paris is', max_tokens: 2 }));
const EMPTY_MESSAGES = file('empty.json', JSON.stringify({ model: 'm', messages: [] }));

async function tgc(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env: {} });
  return { code, stdout, stderr };
}

describe('tgc validate --api openai', () => {
  it('a conformant chat stream, route given: exit 0', async () => {
    const r = await tgc('validate', 'stream', GOOD_STREAM, '--api', 'openai', '--route', 'chat');
    expect(r.stdout).toContain('0 violations');
    expect(r.code).toBe(0);
  });

  it('the route from the request (messages: chat)', async () => {
    expect((await tgc('validate', 'stream', GOOD_STREAM, '--api', 'openai', '--request', CHAT_REQUEST)).code).toBe(0);
  });

  it('eos_token and no [DONE]: exit 1 by openai-finish-reason and openai-stream-done', async () => {
    const r = await tgc('validate', 'stream', EOS_STREAM, '--api', 'openai', '--route', 'chat');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('violation openai-finish-reason');
    expect(r.stdout).toContain('violation openai-stream-done');
  });

  it('a completion labelled text.completion: exit 1 by openai-object (route from the request, not from object)', async () => {
    const r = await tgc('validate', 'response', COMPLETION, '--api', 'openai', '--request', COMPLETION_REQUEST);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('violation openai-object');
    expect(r.stdout).toContain('"text_completion"');
  });

  it('a request every server rejects: exit 1 by openai-request-rejection', async () => {
    const r = await tgc('validate', 'request', EMPTY_MESSAGES, '--api', 'openai', '--route', 'chat');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('openai-request-rejection');
  });

  it('no route and no request to tell it: exit 2 with one line', async () => {
    const r = await tgc('validate', 'stream', GOOD_STREAM, '--api', 'openai');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--route');
  });

  it('--route without --api openai: exit 2', async () => {
    const r = await tgc('validate', 'stream', GOOD_STREAM, '--route', 'chat');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--api openai');
  });

  it('tgc types --api openai writes the bindings with readable names', async () => {
    const r = await tgc('types', '--api', 'openai');
    expect(r.code).toBe(0);
    for (const name of ['ChatCompletionRequest', 'ChatCompletion', 'ChatCompletionChunk', 'OpenAIErrorResponse', 'TgiErrorResponse']) {
      expect(r.stdout).toContain(`export type ${name} = components['schemas']['${name}'];`);
    }
  });
});
