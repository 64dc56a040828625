import { describe, expect, it } from 'vitest';
import { createSecretStore, redactHeaders, secretParts } from './secrets.js';

describe('credentials learnt by header name', () => {
  it('scrubs every value seen, and its parts, from any text', () => {
    const s = createSecretStore();
    expect(s.scrub('Bearer hf_abcdef')).toBe('Bearer hf_abcdef');
    s.learn(['Authorization', 'Bearer hf_abcdef', 'Cookie', 'session=s3cr3tvalue; theme=darkmode', 'X-Api-Key', 'key-12345', 'Accept', 'text/plain']);
    const text = 'echo hf_abcdef and s3cr3tvalue and darkmode and key-12345 and "hf_abcdef" text/plain';
    const out = s.scrub(text);
    for (const secret of ['hf_abcdef', 's3cr3tvalue', 'darkmode', 'key-12345']) expect(out).not.toContain(secret);
    expect(out).toContain('text/plain');
  });
  it('Set-Cookie: the value before its attributes; Basic: the decoded password', () => {
    expect(secretParts('set-cookie', 'sid=abc123xyz; Path=/; HttpOnly')).toEqual(['abc123xyz']);
    const basic = Buffer.from('user:pa55word').toString('base64');
    expect(secretParts('authorization', `Basic ${basic}`)).toEqual([basic, 'user:pa55word', 'pa55word']);
  });
  it('redacts the credential headers, keeping the Bearer scheme', () => {
    expect(redactHeaders({ authorization: 'Bearer x', 'set-cookie': 'a=b', 'api-key': 'k', accept: '*/*' })).toEqual({
      authorization: 'Bearer $HF_TOKEN',
      'set-cookie': '[redacted]',
      'api-key': '[redacted]',
      accept: '*/*',
    });
  });
});
