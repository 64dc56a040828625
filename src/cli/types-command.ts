/**
 * `tgc types [--api tgi|hf|openai] [--out FILE]`: the TypeScript bindings generated from
 * spec/openapi.yaml (tgi, hf: the same document) or spec/openai.yaml (openai).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TgcInputError } from './errors.js';
import type { CliIo } from './io.js';

/** Which bindings `--api` selects. */
export type TypesApi = 'tgi' | 'hf' | 'openai';

export const TYPES_APIS: readonly TypesApi[] = ['tgi', 'hf', 'openai'];

/** Readable names for the generated component types, appended to the bindings. */
const ALIASES = [
  'GenerateRequest',
  'CompatGenerateRequest',
  'GenerateParameters',
  'GrammarType',
  'GenerateResponse',
  'CompatGenerateResponse',
  'Details',
  'BestOfSequence',
  'PrefillToken',
  'Token',
  'FinishReason',
  'StreamResponse',
  'StreamDetails',
  'ErrorResponse',
  'ModelLoadingResponse',
  'Info',
];

/** The same for spec/openai.yaml (src/generated/openai.ts). */
const OPENAI_ALIASES = [
  'ChatCompletionRequest',
  'ChatCompletionRequestMessage',
  'ChatCompletionRequestDeveloperMessage',
  'ChatCompletionRequestSystemMessage',
  'ChatCompletionRequestUserMessage',
  'ChatCompletionRequestAssistantMessage',
  'ChatCompletionRequestToolMessage',
  'ChatCompletionContentPartText',
  'ChatCompletionContentPartImage',
  'ChatCompletionTool',
  'ChatCompletionToolChoiceOption',
  'FunctionObject',
  'ResponseFormatText',
  'ResponseFormatJsonObject',
  'ResponseFormatJsonSchema',
  'StopConfiguration',
  'ChatCompletionStreamOptions',
  'CompletionRequest',
  'ChatCompletion',
  'ChatCompletionChoice',
  'ChatCompletionResponseMessage',
  'ChatCompletionMessageToolCall',
  'ChatCompletionChunk',
  'ChatCompletionChunkChoice',
  'ChatCompletionStreamDelta',
  'ChatCompletionToolCallDelta',
  'ChatCompletionLogprobs',
  'ChatCompletionTokenLogprob',
  'Completion',
  'CompletionChoice',
  'CompletionChunk',
  'CompletionLogprobs',
  'ModelList',
  'Model',
  'Usage',
  'OpenAIError',
  'OpenAIErrorResponse',
  'TgiErrorResponse',
  'BareStringError',
  'TgiStreamError',
  'FlatErrorResponse',
];

export async function typesCommand(options: { out?: string; api?: string }, io: CliIo): Promise<number> {
  const api = options.api ?? 'tgi';
  if (!(TYPES_APIS as readonly string[]).includes(api)) {
    throw new TgcInputError(`unknown --api ${api}: expected ${TYPES_APIS.join(', ')}`);
  }
  const [file, aliases] = api === 'openai' ? ['openai.ts', OPENAI_ALIASES] : ['openapi.ts', ALIASES];
  // dist/cli/types-command.js → the package root → src/generated/*.ts (shipped in `files`).
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const generated = await readFile(path.join(root, 'src', 'generated', file), 'utf8');
  const text =
    `${generated.trimEnd()}\n\n// Readable names for the schemas above.\n` +
    aliases.map((n) => `export type ${n} = components['schemas']['${n}'];`).join('\n') +
    '\n';
  if (options.out === undefined) {
    io.stdout(text);
    return 0;
  }
  try {
    await writeFile(path.resolve(io.cwd, options.out), text);
  } catch (e) {
    throw new TgcInputError(`cannot write ${options.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  io.stderr(`wrote ${options.out}\n`);
  return 0;
}
