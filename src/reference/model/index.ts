/**
 * The simulated model of the reference server: pure (no node:*, no fetch), deterministic, small
 * and fast. See generate.ts for the loop, sampling.ts for the warpers, logits.ts for the model.
 */
export { f32, f32Shortest } from './f32.js';
export { SplitMix64, U64_MAX, exactU64, hashIds } from './prng.js';
export { BOS_ID, EOS_ID, PAD_ID, VOCAB, VOCAB_SIZE, isSpecial } from './vocabulary.js';
export { decode, encode, tokenText, TokenStreamDecoder } from './tokenizer.js';
export { GREEDY, hasWarpers, isSampling } from './sampling.js';
export type { WarpParams } from './sampling.js';
export { generate, generateSteps, generatedText, prefillTokens } from './generate.js';
export type { Generation, GenerationParams, GenerationStep, ModelPrefillToken, ModelToken } from './generate.js';
export { jsonSchemaGrammar, regexGrammar, RegexGrammarError, SchemaGrammarError } from './grammar/index.js';
export type { Grammar } from './grammar/index.js';
