import { isObject } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Sends JSON error bodies as `{"error": …}` without `error_type` (both are required in TGI's
 * ErrorResponse, and clients such as huggingface_hub dispatch on error_type).
 * @see tgi-behavior.md §2a (ErrorResponse, lib.rs:1516)
 */
export const errorBodyWithoutErrorType: Fault = {
  name: 'error-body-without-error-type',
  description: 'JSON error bodies lack error_type',
  detectedBy: 'error-body-schema',
  transformResponseBody: (body, ctx) => {
    if (ctx.status < 400 || !isObject(body) || !('error_type' in body)) return body;
    const { error_type: _dropped, ...rest } = body;
    return rest;
  },
};
