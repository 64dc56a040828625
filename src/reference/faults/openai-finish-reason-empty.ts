import { OPENAI_RUN, onChoices } from './_openai.js';
import type { Fault } from './fault.js';

/**
 * Stream chunks carry `finish_reason: ""` where the contract says null (every chunk before a
 * choice's last), as Ollama did and TGI's completions stream does.
 * @see openai-behavior.md §3 (TGI completions stream), §4.3 (ollama #4357)
 */
export const openaiFinishReasonEmpty: Fault = {
  name: 'openai-finish-reason-empty',
  description: 'stream chunks carry finish_reason "" instead of null before the last',
  detectedBy: 'openai-finish-reason',
  runOptions: OPENAI_RUN,
  transformEvent: onChoices((choice, where) => (where.stream && choice['finish_reason'] === null ? { ...choice, finish_reason: '' } : choice)).transformEvent,
};
