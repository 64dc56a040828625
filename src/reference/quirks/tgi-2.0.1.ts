import { composeFaults } from '../faults/fault.js';
import { openaiFinishReasonEosToken } from '../faults/openai-finish-reason-eos-token.js';
import { openaiObjectChatTextCompletion } from '../faults/openai-object-chat-text-completion.js';
import { openaiStreamDoneMissing } from '../faults/openai-stream-done-missing.js';
import { defineQuirk } from './quirk.js';

/** TGI 2.0.1 (in the shared fixtures): chat labelled "text_completion", finish_reason "eos_token", no [DONE]. */
export const tgi201 = defineQuirk(
  composeFaults('tgi-2.0.1', [openaiObjectChatTextCompletion, openaiFinishReasonEosToken, openaiStreamDoneMissing]),
  {
    name: 'tgi-2.0.1',
    description: 'chat object "text_completion", finish_reason "eos_token", streams without data: [DONE]',
    server: 'TGI 2.0.1',
    source: 'openai-behavior.md §3 (older TGI), §4.1, §4.4, §4.9: TGI #2296, #1896; fixed by TGI PRs #2344, #2221, #1648',
    verdict: { severity: 'violation', check: 'openai-object' },
    clients: {
      'openai-node 6.30.1 (create)': { outcome: 'misreads', detail: 'object "text_completion"; finish_reason "eos_token" passed through (outside the enum)' },
      'openai-node 6.30.1 (stream)': { outcome: 'misreads', detail: 'object "text_completion"; finish_reason "eos_token" passed through (outside the enum)' },
      'openai-node 6.30.1 (.stream() helper)': { outcome: 'misreads', detail: 'finish_reason "eos_token" passed through (outside the enum)' },
      '@huggingface/inference 4.13.16 (chatCompletion)': { outcome: 'misreads', detail: 'object "text_completion"; finish_reason "eos_token" passed through (outside the enum)' },
      '@huggingface/inference 4.13.16 (chatCompletionStream)': { outcome: 'misreads', detail: 'object "text_completion"; finish_reason "eos_token" passed through (outside the enum)' },
    },
  },
);
