import { openaiValidationErrorInStream } from '../faults/openai-validation-error-in-stream.js';
import { defineQuirk } from './quirk.js';

/** A stream request's validation error sent inside a 200 stream, TGI's `{"error": {"message", "http_status_code"}}`. */
export const errorInStream = defineQuirk(openaiValidationErrorInStream, {
  name: 'error-in-stream',
  description: 'validation errors of stream requests come as an error event inside a 200 stream',
  server: 'TGI 3.3.7 (errors after the 200); earlier TGI before PR #2221; ik_llama.cpp before PR #470',
  source: 'openai-behavior.md §3 (errors inside a stream), §4.4: TGI #1896, PR #2221; ik_llama.cpp PR #470',
  verdict: { severity: 'violation', check: 'openai-stream-error' },
  clients: {
    'openai-node 6.30.1 (create)': { outcome: 'works' },
    'openai-node 6.30.1 (stream)': { outcome: 'throws', detail: 'APIError (no HTTP status): Input validation error: `messages` must contain at least one message' },
    'openai-node 6.30.1 (.stream() helper)': { outcome: 'throws', detail: 'APIError (no HTTP status): Input validation error: `messages` must contain at least one message' },
    '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'works' },
    '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'throws', detail: 'InferenceClientProviderApiError (status 200): Failed to perform inference: an occurred while streaming the response: Input validation error: `messages` must contain at least one message' },
  },
});
