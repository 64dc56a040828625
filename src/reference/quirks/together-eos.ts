import { openaiFinishReasonEos } from '../faults/openai-finish-reason-eos.js';
import { defineQuirk } from './quirk.js';

/** Together's API: `finish_reason: "eos"`. */
export const togetherEos = defineQuirk(openaiFinishReasonEos, {
  name: 'together-eos',
  description: 'finish_reason "eos" where the model stopped',
  server: 'Together AI hosted API (as reported in ragas #1548, 2024)',
  source: 'openai-behavior.md §4.2: ragas #1548, vespa PR #33327 (Spring AI PR #4900 added eos_token to its enum)',
  verdict: { severity: 'violation', check: 'openai-finish-reason' },
  clients: {
    'openai-node 6.30.1 (create)': { outcome: 'misreads', detail: 'finish_reason "eos" passed through (outside the enum)' },
    'openai-node 6.30.1 (stream)': { outcome: 'misreads', detail: 'finish_reason "eos" passed through (outside the enum)' },
    'openai-node 6.30.1 (.stream() helper)': { outcome: 'misreads', detail: 'finish_reason "eos" passed through (outside the enum)' },
    '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'misreads', detail: 'finish_reason "eos" passed through (outside the enum)' },
    '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'misreads', detail: 'finish_reason "eos" passed through (outside the enum)' },
  },
});
