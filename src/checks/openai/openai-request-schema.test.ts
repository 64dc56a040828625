import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import { chatResponse, chatStream, errorResponse, modelsResponse, outcome } from './__fixtures__/views.js';
import { openaiChunkSchema } from './openai-chunk-schema.js';
import { openaiRequestSchema } from './openai-request-schema.js';
import { openaiResponseSchema } from './openai-response-schema.js';

const finding = (check: string, severity: Finding['severity'], kind: string, event?: number): Finding => ({
  check,
  severity,
  kind,
  title: `schema: ${kind}`,
  message: `the body breaks ${kind}`,
  pointer: '/x',
  ...(event === undefined ? {} : { event }),
});

const unknownKey = finding('openai-request-schema', 'warning', 'additionalProperties:/options');
const badChoices = finding('openai-response-schema', 'violation', 'type:/choices');
const badChunk = finding('openai-chunk-schema', 'violation', 'required:/choices/*/delta', 1);

describe('openai-request-schema', () => {
  it('returns the findings filed under its id, and only those', () => {
    const view = chatResponse({ decodeFindings: [unknownKey, badChoices] });
    expect(openaiRequestSchema.run(view)).toEqual([unknownKey]);
  });
  it('is silent on a conformant request', () => {
    expect(outcome(openaiRequestSchema, chatResponse())).toEqual([]);
  });
  it('skips GET /v1/models and a request that was not JSON', () => {
    expect(outcome(openaiRequestSchema, modelsResponse())).toBe('skip');
    const view = chatResponse();
    view.requestBody = undefined;
    expect(outcome(openaiRequestSchema, view)).toBe('skip');
  });
});

describe('openai-response-schema', () => {
  it('returns the findings filed under its id', () => {
    expect(openaiResponseSchema.run(chatResponse({ decodeFindings: [unknownKey, badChoices] }))).toEqual([badChoices]);
  });
  it('is silent on a conformant response', () => {
    expect(outcome(openaiResponseSchema, chatResponse())).toEqual([]);
  });
  it('skips streams and error statuses', () => {
    expect(outcome(openaiResponseSchema, chatStream())).toBe('skip');
    expect(outcome(openaiResponseSchema, errorResponse())).toBe('skip');
  });
});

describe('openai-chunk-schema', () => {
  it('returns the findings filed under its id, with their event', () => {
    expect(openaiChunkSchema.run(chatStream({ decodeFindings: [badChunk, badChoices] }))).toEqual([badChunk]);
  });
  it('is silent on a conformant stream', () => {
    expect(outcome(openaiChunkSchema, chatStream())).toEqual([]);
  });
  it('skips non-stream responses and a stream request answered with an error', () => {
    expect(outcome(openaiChunkSchema, chatResponse())).toBe('skip');
    expect(outcome(openaiChunkSchema, errorResponse({ streamed: true, status: 422 }))).toBe('skip');
  });
});
