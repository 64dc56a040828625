/**
 * The quirks of real OpenAI-compatible servers the reference server can replay, in the order
 * they are listed: one file each (./quirk.ts for the type).
 */
import { dataNoSpace } from './data-no-space.js';
import { errorBareString } from './error-bare-string.js';
import { errorInStream } from './error-in-stream.js';
import { ollamaEmptyFinish } from './ollama-empty-finish.js';
import type { Quirk } from './quirk.js';
import { tgi201 } from './tgi-2.0.1.js';
import { tgi33 } from './tgi-3.3.js';
import { togetherEos } from './together-eos.js';
import { toolArgumentsObject } from './tool-arguments-object.js';
import { toolDeltaNoIndex } from './tool-delta-no-index.js';
import { usageEveryChunk } from './usage-every-chunk.js';

export const quirks: readonly Quirk[] = [
  // whole servers
  tgi201,
  tgi33,
  // finish_reason
  togetherEos,
  ollamaEmptyFinish,
  // usage, tool calls
  usageEveryChunk,
  toolArgumentsObject,
  toolDeltaNoIndex,
  // framing and errors
  dataNoSpace,
  errorBareString,
  errorInStream,
];

/** The quirk named `name`, if any. */
export function findQuirk(name: string): Quirk | undefined {
  return quirks.find((q) => q.name === name);
}

export { defineQuirk } from './quirk.js';
export { QUIRK_CLIENTS } from './quirk.js';
export type { Quirk, QuirkClient, QuirkClientOutcome, QuirkVerdict } from './quirk.js';
