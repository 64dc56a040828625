/**
 * The structural and stream checks of the OpenAI-compatible routes, in the order `tgc checks`
 * lists them: schemas and error bodies, the labels and values clients dispatch on, stream
 * framing and consistency, usage, the model list, and whether requests were answered as their
 * validity requires. Merged into the registry by src/checks/index.ts.
 */
import type { OpenAIExchangeView } from '../../core/exchange.js';
import type { CheckDefinition } from '../check.js';
import { openaiChoiceIndex } from './openai-choice-index.js';
import { openaiChunkSchema } from './openai-chunk-schema.js';
import { openaiErrorBody } from './openai-error-body.js';
import { openaiFinishReason } from './openai-finish-reason.js';
import { openaiModels } from './openai-models.js';
import { openaiObject } from './openai-object.js';
import { openaiRequestRejection } from './openai-request-rejection.js';
import { openaiRequestSchema } from './openai-request-schema.js';
import { openaiResponseSchema } from './openai-response-schema.js';
import { openaiStreamConsistency } from './openai-stream-consistency.js';
import { openaiStreamDone } from './openai-stream-done.js';
import { openaiStreamError } from './openai-stream-error.js';
import { openaiStreamRole } from './openai-stream-role.js';
import { openaiUsage } from './openai-usage.js';

export const openaiStructureChecks: readonly CheckDefinition<OpenAIExchangeView>[] = [
  openaiRequestSchema,
  openaiResponseSchema,
  openaiChunkSchema,
  openaiErrorBody,
  openaiObject,
  openaiFinishReason,
  openaiChoiceIndex,
  openaiStreamDone,
  openaiStreamConsistency,
  openaiStreamRole,
  openaiStreamError,
  openaiUsage,
  openaiModels,
  openaiRequestRejection,
];
