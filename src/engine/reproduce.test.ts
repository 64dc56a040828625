import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlCommand } from './reproduce.js';

describe('curlCommand', () => {
  it('writes the token as $HF_TOKEN and quotes the body for a POSIX shell', () => {
    const body = `{"inputs":"it's \\"quoted\\" $HOME \`x\`"}`;
    const cmd = curlCommand({
      method: 'POST',
      url: 'http://127.0.0.1:8080/generate',
      headers: { 'content-type': 'application/json' },
      withToken: true,
      body,
      stream: false,
    });
    expect(cmd).toContain('"Authorization: Bearer $HF_TOKEN"');
    // The shell hands curl the body unchanged: echo it through sh with the same quoting.
    const echoed = spawnSync('sh', ['-c', cmd.replace(/^curl .*--data-binary /, 'printf %s ')], { encoding: 'utf8' });
    expect(echoed.stdout).toBe(body);
  });

  it('adds -N for streams and a made-up wrong token for auth cases', () => {
    const cmd = curlCommand({ method: 'POST', url: 'http://h/x', headers: {}, withToken: false, wrongToken: 'hf_wrong', stream: true });
    expect(cmd).toMatch(/^curl -sS -N -X POST 'http:\/\/h\/x' -H 'Authorization: Bearer hf_wrong'$/);
  });
});
