/** Where a recorded line or a report belongs in the matrix, and what it says about the server. */
import { describe, expect, it } from 'vitest';
import { fileLabels, headerVersions, lineFacts, modelOf, recordingRow, reportRow, secretHeaderValues, secretsOf, streamMeta } from './grouping.js';

describe('lineFacts', () => {
  it('takes the provider, both models and the fingerprint of a JSON response', () => {
    const facts = lineFacts(
      { provider: 'api.example.com', request: { model: 'tgi' }, response: { model: 'org/model-7b', system_fingerprint: '2.0.1-sha-2d0a717' } },
      undefined,
    );
    expect(facts).toEqual({
      provider: 'api.example.com',
      requestModel: 'tgi',
      responseModel: 'org/model-7b',
      versions: [{ value: '2.0.1-sha-2d0a717', from: 'system_fingerprint' }],
    });
  });

  it('reads a stream\'s first model and fingerprint, with and without the space after data:', () => {
    const stream = ': keep-alive\n\ndata:{"model":"m-stream","system_fingerprint":null}\n\ndata: {"model":"other","system_fingerprint":"fp_1"}\n\ndata: [DONE]\n\n';
    expect(streamMeta(stream)).toEqual({ model: 'm-stream', fingerprint: 'fp_1' });
    expect(lineFacts({ stream }, undefined)).toEqual({ responseModel: 'm-stream', versions: [{ value: 'fp_1', from: 'system_fingerprint' }] });
  });

  it('takes a one-element array response (TGI\'s POST /) and ignores a null or empty fingerprint', () => {
    expect(lineFacts({ response: [{ model: 'x', system_fingerprint: '' }] }, undefined)).toEqual({ responseModel: 'x', versions: [] });
    expect(lineFacts({ response: { system_fingerprint: null }, request: 'not an object' }, undefined)).toEqual({ versions: [] });
  });

  it('takes versions from the server and x-…-version headers, never from secret ones', () => {
    expect(
      headerVersions({ server: 'uvicorn', 'x-tgi-version': '3.0.1', 'x-version': '7', 'x-request-id': 'abc', authorization: 'Bearer secret-version', 'openai-version': '2020-10-01' }),
    ).toEqual([
      { value: 'uvicorn', from: 'server' },
      { value: '3.0.1', from: 'x-tgi-version' },
      { value: '7', from: 'x-version' },
    ]);
    expect(lineFacts({ response: { system_fingerprint: 'fp_2' } }, { server: 'nginx' }).versions).toEqual([
      { value: 'fp_2', from: 'system_fingerprint' },
      { value: 'nginx', from: 'server' },
    ]);
  });
});

describe('rows', () => {
  it('groups a line by its provider, else by the file\'s label', () => {
    expect(recordingRow('target', { provider: 'p', versions: [] }, 'run.jsonl')).toEqual({ target: 'p' });
    expect(recordingRow('target', { versions: [] }, 'run.jsonl')).toEqual({ target: 'run.jsonl' });
    expect(recordingRow('provider', { versions: [], responseModel: 'm' }, 'run.jsonl')).toEqual({ target: 'run.jsonl' });
  });

  it('--by model: the model that answered, else the one asked for, else none', () => {
    expect(modelOf({ requestModel: 'tgi', responseModel: 'org/m' })).toBe('org/m');
    expect(modelOf({ requestModel: 'gpt-3.5-turbo' })).toBe('gpt-3.5-turbo');
    expect(recordingRow('model', { provider: 'p', requestModel: 'tgi', responseModel: 'org/m', versions: [] }, 'f')).toEqual({ target: 'p', model: 'org/m' });
    expect(recordingRow('model', { provider: 'p', versions: [] }, 'f')).toEqual({ target: 'p' });
  });

  it('a report by its target URL; --by provider by the URL\'s host', () => {
    expect(reportRow('target', 'https://api.example.com/v1')).toEqual({ target: 'https://api.example.com/v1' });
    expect(reportRow('model', 'https://api.example.com/v1')).toEqual({ target: 'https://api.example.com/v1' });
    expect(reportRow('provider', 'https://api.example.com/v1')).toEqual({ target: 'api.example.com' });
    expect(reportRow('provider', 'http://127.0.0.1:8080')).toEqual({ target: '127.0.0.1:8080' });
    expect(reportRow('provider', 'not a url')).toEqual({ target: 'not a url' });
  });

  it('labels files by base name, by the path where two share one', () => {
    expect([...fileLabels(['../fx/a.jsonl', 'b/run.jsonl', 'c/run.jsonl', '../fx/a.jsonl']).entries()]).toEqual([
      ['../fx/a.jsonl', 'a.jsonl'],
      ['b/run.jsonl', 'b/run.jsonl'],
      ['c/run.jsonl', 'c/run.jsonl'],
    ]);
  });
});

describe('secrets', () => {
  it('collects the values of authorization, api-key, x-api-key and cookie headers, and the token inside Bearer', () => {
    expect(
      secretHeaderValues({ Authorization: 'Bearer hf_abcdef', 'api-key': 'k-1234', 'X-Api-Key': 'k-5678', cookie: 'session=s3cr3t; theme=dark', accept: '*/*' }),
    ).toEqual(['Bearer hf_abcdef', 'hf_abcdef', 'k-1234', 'k-5678', 'session=s3cr3t; theme=dark', 's3cr3t', 'dark']);
    // A report's own placeholder is no secret.
    expect(secretHeaderValues({ authorization: 'Bearer $HF_TOKEN' })).toEqual([]);
  });

  it('looks in the response headers and in the tgc context of a --record line', () => {
    expect(secretsOf({ headers: { 'set-cookie': 'id=abcd' }, tgc: { requestHeaders: { authorization: 'Bearer tok-1234' } } })).toEqual([
      'id=abcd',
      'abcd',
      'Bearer tok-1234',
      'tok-1234',
    ]);
  });
});
