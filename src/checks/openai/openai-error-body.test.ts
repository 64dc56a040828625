import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import { chatResponse, chatStream, errorResponse, outcome } from './__fixtures__/views.js';
import { openaiErrorBody } from './openai-error-body.js';

const bareString: Finding = {
  check: 'openai-error-body',
  severity: 'warning',
  kind: 'shape:bare-string',
  title: 'a bare {"error": "string"}',
  message: 'the error body is {"error": "string"}',
  pointer: '/error',
};

describe('openai-error-body', () => {
  it('fires on an error body answered with 200', () => {
    const view = chatResponse();
    view.error = { shape: 'openai', message: 'The model is overloaded', type: 'server_error' };
    expect(outcome(openaiErrorBody, view)).toEqual(['violation:error-below-400']);
  });
  it('returns the decoder\'s shape findings on an error status', () => {
    const view = errorResponse({ status: 500, info: { shape: 'bare-string', message: 'boom' }, decodeFindings: [bareString] });
    expect(openaiErrorBody.run(view)).toEqual([bareString]);
  });
  it('is silent on OpenAI\'s error object (api.openai.com\'s 400)', () => {
    expect(outcome(openaiErrorBody, errorResponse())).toEqual([]);
  });
  it('is silent on TGI\'s {error, error_type} and text/plain 422 (allowed shapes)', () => {
    expect(outcome(openaiErrorBody, errorResponse({ status: 422, info: { shape: 'tgi', message: 'Template error: template not found', type: 'template_error' } }))).toEqual([]);
    expect(outcome(openaiErrorBody, errorResponse({ status: 422, info: { shape: 'text', message: 'Failed to deserialize the JSON body' } }))).toEqual([]);
  });
  it('does not report an error event inside a 200 stream as below 400 (accepted framing)', () => {
    expect(outcome(openaiErrorBody, chatStream({ error: { status: 422 } }))).toEqual([]);
  });
  it('skips a 2xx without an error', () => {
    expect(outcome(openaiErrorBody, chatResponse())).toBe('skip');
    expect(outcome(openaiErrorBody, chatStream())).toBe('skip');
  });
});
