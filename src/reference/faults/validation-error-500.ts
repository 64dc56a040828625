import type { Fault } from './fault.js';

/**
 * Answers validation errors raised in the handler with HTTP 500 (body unchanged: error_type
 * "validation"), as a server that lets a validation exception escape to its error handler.
 * @see tgi-behavior.md §2c (InferError → 422, server.rs:2404-2424)
 */
export const validationError500: Fault = {
  name: 'validation-error-500',
  description: 'answers in-handler validation errors with 500 instead of 422',
  detectedBy: 'negative-data-rejection',
  transformStatus: (status, ctx) => (status === 422 && ctx.request !== undefined ? 500 : status),
};
