import type { Fault } from './fault.js';

/**
 * Answers validation errors raised in the handler with HTTP 400 instead of 422 (the body is
 * still TGI's ErrorResponse with error_type "validation"). Pre-handler rejections keep their
 * statuses, and stream errors their 200.
 * @see tgi-behavior.md §2c (InferError → 422, server.rs:2404-2424)
 */
export const validationError400: Fault = {
  name: 'validation-error-400',
  description: 'answers in-handler validation errors with 400 instead of 422',
  detectedBy: 'negative-data-rejection',
  // ctx.request is set once the body deserialized: the 422s after that are the handler's.
  transformStatus: (status, ctx) => (status === 422 && ctx.request !== undefined ? 400 : status),
};
