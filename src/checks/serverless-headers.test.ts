import { describe, expect, it } from 'vitest';
import type { ExchangeView } from '../core/exchange.js';
import type { Finding } from '../core/finding.js';
import { accepted, caseOutcome, rejectedWith } from './__fixtures__/case-builders.js';
import type { Want } from './__fixtures__/builders.js';
import { serverlessHeaders } from './serverless-headers.js';

const hf = (view: ExchangeView, requestHeaders?: Record<string, string>): ExchangeView => ({
  ...view,
  api: 'hf',
  route: 'POST /',
  ...(requestHeaders === undefined ? {} : { requestHeaders }),
});
/** The model-loading 503: JSON that decoding read as the loading body (no ErrorResponse). */
const loading = (): ExchangeView => rejectedWith({ status: 503, error: null, bodyKind: 'json' });

const schemaViolation: Finding = {
  check: 'error-body-schema',
  severity: 'violation',
  kind: 'required',
  title: 'error body: required',
  message: 'error body must have required property error_type',
  pointer: '',
};

const cases: [string, { given: ExchangeView; want: Want }][] = [
  ['silent on the model-loading 503', { given: hf(loading()), want: [] }],
  ['silent on the model-loading 503 with x-wait-for-model false', { given: hf(loading(), { 'x-wait-for-model': 'false' }), want: [] }],
  [
    'fires on a 503 ErrorResponse without estimated_time',
    { given: hf(rejectedWith({ status: 503, error: { error: 'Model is loading', error_type: 'unavailable' } })), want: ['violation:loading-without-estimated-time'] },
  ],
  ['fires on the loading 503 despite x-wait-for-model: true', { given: hf(loading(), { 'x-wait-for-model': 'true' }), want: ['violation:wait-for-model-ignored'] }],
  ['fires on the loading 503 despite X-Wait-For-Model: 1', { given: hf(loading(), { 'X-Wait-For-Model': '1' }), want: ['violation:wait-for-model-ignored'] }],
  [
    'reports a 503 ErrorResponse once, also with x-wait-for-model: true',
    { given: hf(rejectedWith({ status: 503, error: { error: 'busy', error_type: 'overloaded' } }), { 'x-wait-for-model': 'true' }), want: ['violation:loading-without-estimated-time'] },
  ],
  [
    'leaves a 503 JSON body that fits no schema to error-body-schema',
    { given: hf({ ...loading(), decodeFindings: [schemaViolation] }, { 'x-wait-for-model': 'true' }), want: [] },
  ],
  ['skips a gateway\'s text 503', { given: hf(rejectedWith({ status: 503, error: null, bodyKind: 'text' })), want: 'skip' }],
  ['skips a 200 after waiting for the model', { given: hf(accepted(), { 'x-wait-for-model': 'true' }), want: 'skip' }],
  ['skips TGI\'s routes', { given: { ...loading(), api: 'tgi' }, want: 'skip' }],
  ['skips a recorded exchange (no api)', { given: loading(), want: 'skip' }],
];

describe('serverless-headers', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(caseOutcome(serverlessHeaders, given)).toEqual(want);
  });
});
