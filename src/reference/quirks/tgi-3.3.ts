import { composeFaults } from '../faults/fault.js';
import { completionsEmptyFinish, emptyIds, noLogprobBytes, oneChoice, roleEveryDelta, stopTextKept, tgiFinishReasons, toolCallsFinishStop } from './_parts.js';
import { defineQuirk } from './quirk.js';

/**
 * TGI 3.3.7's OpenAI-compatible routes. The stop text is put back (and finish_reason named
 * `stop_sequence`) where the request has stop strings, before the finish_reason is renamed.
 */
export const tgi33 = defineQuirk(
  composeFaults('tgi-3.3', [stopTextKept, tgiFinishReasons, completionsEmptyFinish, emptyIds, oneChoice, noLogprobBytes, roleEveryDelta, toolCallsFinishStop]),
  {
    name: 'tgi-3.3',
    description:
      'finish_reason stop_sequence / eos_token, "" on intermediate completions chunks, empty ids, one choice whatever n, no logprob bytes, stop text kept, role on every delta, tool calls finishing with "stop"',
    server: 'TGI 3.3.7',
    source: 'openai-behavior.md §3: huggingface/text-generation-inference router/src/{server,chat,lib}.rs @ db931fcf; §4.13 (TGI #1782)',
    verdict: { severity: 'violation', check: 'openai-finish-reason' },
    clients: {
      'openai-node 6.30.1 (create)': { outcome: 'misreads', detail: 'id ""; finish_reason "stop_sequence" passed through (outside the enum); content ends with the stop text' },
      'openai-node 6.30.1 (stream)': { outcome: 'misreads', detail: 'id ""; finish_reason "stop_sequence" passed through (outside the enum); content ends with the stop text' },
      'openai-node 6.30.1 (.stream() helper)': { outcome: 'misreads', detail: 'id ""; finish_reason "stop" (conformant: "tool_calls")' },
      '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'misreads', detail: 'id ""; finish_reason "stop_sequence" passed through (outside the enum); content ends with the stop text' },
      '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'misreads', detail: 'id ""; finish_reason "stop_sequence" passed through (outside the enum); content ends with the stop text' },
    },
  },
);
