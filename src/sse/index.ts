/** Incremental, bounded text/event-stream decoding (check `stream-framing`). */
export { createSseDecoder, decodeSse, streamFramingKinds } from './decoder.js';
export type {
  DecodedSse,
  SseDecoder,
  SseDecoderLimits,
  SseDecoderOptions,
  SseDecoderStats,
  StreamFramingKind,
} from './decoder.js';
