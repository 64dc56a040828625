/**
 * The API's data as tgc reads it off the wire, after schema validation. These mirror the
 * generated bindings (src/generated/) with one deliberate difference: integers that are u64 on
 * the server (`seed`) are `number | bigint`, because tgc parses them exactly (see core/json.ts)
 * and a seed above 2^53 must never be compared rounded (verdict-policy item 2).
 */

/** A u64 read exactly: a number while it is a safe integer, a bigint beyond. */
export type ExactInteger = number | bigint;

export interface Token {
  id: number;
  text: string;
  /** f32 log-probability; `null` where the server had NaN or ±inf (serde writes those as null). */
  logprob: number | null;
  special: boolean;
}

/** A prompt token; TGI's PrefillToken has no `special`. */
export interface PrefillToken {
  id: number;
  text: string;
  logprob: number | null;
}

export type FinishReason = 'length' | 'eos_token' | 'stop_sequence';

export interface BestOfSequence {
  generated_text: string;
  finish_reason: FinishReason;
  generated_tokens: number;
  seed?: ExactInteger | null;
  prefill: PrefillToken[];
  tokens: Token[];
  top_tokens?: Token[][];
}

export interface Details {
  finish_reason: FinishReason;
  generated_tokens: number;
  seed?: ExactInteger | null;
  prefill: PrefillToken[];
  tokens: Token[];
  top_tokens?: Token[][];
  best_of_sequences?: BestOfSequence[];
}

export interface GenerateResponse {
  generated_text: string;
  details?: Details;
}

/** The `details` of the final stream event: no tokens, prefill, top_tokens or best_of_sequences. */
export interface StreamDetails {
  finish_reason: FinishReason;
  generated_tokens: number;
  seed?: ExactInteger | null;
  /** Since TGI v2.3.0; older servers omit it. */
  input_length?: number;
}

export interface StreamEvent {
  /** 1-based position of the token; since TGI v1.4.0, older servers omit it. */
  index?: number;
  token: Token;
  top_tokens?: Token[];
  generated_text?: string | null;
  details?: StreamDetails | null;
}

export interface ErrorBody {
  error: string;
  error_type: string;
}

export type GrammarType =
  | { type: 'json' | 'json_object'; value: unknown }
  | { type: 'regex'; value: string }
  | { type: 'json_schema'; value: { name?: string | null; schema: unknown } };

export interface GenerateParameters {
  best_of?: number | null;
  decoder_input_details?: boolean;
  details?: boolean;
  do_sample?: boolean;
  frequency_penalty?: number | null;
  grammar?: GrammarType | null;
  max_new_tokens?: number | null;
  repetition_penalty?: number | null;
  return_full_text?: boolean | null;
  seed?: ExactInteger | null;
  stop?: string[];
  temperature?: number | null;
  top_k?: number | null;
  top_n_tokens?: number | null;
  top_p?: number | null;
  truncate?: number | null;
  typical_p?: number | null;
  watermark?: boolean;
  adapter_id?: string | null;
}

export interface GenerateRequest {
  inputs: string;
  parameters?: GenerateParameters;
  stream?: boolean;
}
