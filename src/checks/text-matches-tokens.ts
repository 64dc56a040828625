import type { Details, GenerateResponse } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters } from './_internals/effective-parameters.js';
import { promptPrefix, type PromptPrefix } from './_internals/generated-text.js';
import { onExchange, withDetails, type ExchangeHandlers } from './_internals/requires.js';
import { sequencesOf } from './_internals/sequences.js';
import { TEXT_KINDS, textJudge } from './_internals/text-findings.js';

const ID = 'text-matches-tokens';

const judge = textJudge(ID);

/** Each sequence's generated_text against its tokens. */
function judgeSequences(_details: Details, response: GenerateResponse, prefix: PromptPrefix): Finding[] {
  const findings: Finding[] = [];
  for (const s of sequencesOf(response)) {
    const found = judge({
      label: s.label,
      text: s.generatedText,
      tokens: s.details.tokens,
      prefix,
      pointer: s.textPointer,
    });
    for (const f of found) findings.push(f);
  }
  return findings;
}

// Defined once (requires.ts ExchangeHandlers says why); the context is how the prompt may prefix the text.
const HANDLERS: ExchangeHandlers<PromptPrefix> = {
  response: (response, _view, prefix) => withDetails(response, judgeSequences, prefix),
};

/**
 * N-4: `generated_text` is decoded with `skip_special_tokens=True`, so it equals the
 * concatenation of the texts of the tokens that are not special, once the full original
 * `inputs` is stripped where return_full_text prefixes it. A difference only in leading
 * whitespace is a warning (encoder-decoder models), and so is one caused by tokens that end
 * inside a multi-byte character (TGI then returns ""); any other difference is a violation
 * (tgi-behavior.md §2b N-4; verdict-policy item 10; TGI
 * server/text_generation_server/models/flash_causal_lm.py:2342). Applies to each
 * `best_of_sequences` entry too; streams are judged by stream-text.
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/server/text_generation_server/models/flash_causal_lm.py#L2342
 */
export const textMatchesTokens: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'generated_text equals its non-special token texts',
  rule:
    'generated_text (minus the original inputs when return_full_text) equals the concatenation of details.tokens[].text for tokens with special: false; a difference only in leading whitespace, or from tokens that end inside a multi-byte character, is a warning.',
  source: 'tgi-behavior.md §2b N-4; verdict-policy item 10; TGI server/text_generation_server/models/flash_causal_lm.py:2342 (skip_special_tokens=True)',
  appliesTo: 'non-stream',
  kinds: TEXT_KINDS,
  run(view) {
    const prefix = promptPrefix(effectiveParameters(view));
    return onExchange(view, HANDLERS, prefix);
  },
};
