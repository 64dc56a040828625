import { openaiFinishReasonEos } from '../faults/openai-finish-reason-eos.js';
import { defineQuirk } from './quirk.js';

/** Together's API: `finish_reason: "eos"`. */
export const togetherEos = defineQuirk(openaiFinishReasonEos, {
  name: 'together-eos',
  description: 'finish_reason "eos" where the model stopped',
  server: 'Together AI hosted API (as reported in ragas #1548, 2024)',
  source: 'openai-behavior.md §4.2: ragas #1548, vespa PR #33327 (Spring AI PR #4900 added eos_token to its enum)',
  verdict: { severity: 'violation', check: 'openai-finish-reason' },
});
