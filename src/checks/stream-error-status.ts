import type { CheckDefinition } from './check.js';

const IN_HANDLER_ERROR_TYPES = new Set(['validation', 'generation', 'overloaded', 'incomplete_generation']);

/**
 * On the stream routes every error raised after the body is extracted arrives as an SSE event
 * after HTTP 200; the 422/424/429/500 statuses of TGI's OpenAPI for them never happen.
 * Pre-handler rejections (400, 413, 415, text/plain 422, 401) keep their plain statuses
 * (verdict-policy item 7).
 */
export const streamErrorStatus: CheckDefinition = {
  id: 'stream-error-status',
  severity: 'violation',
  title: 'stream errors arrive as an event after 200',
  rule: 'A stream request rejected or failed in the handler (error_type validation, generation, overloaded, incomplete_generation) gets HTTP 200 with a data:{"error",…} event, not an error status.',
  source: 'tgi-behavior.md §2c Streaming errors; server.rs S:488-505, S:2428; verdict-policy item 7',
  run(view) {
    if (!view.streamed) return { skip: 'not a stream request' };
    if (view.status < 400) return [];
    const type = view.error?.error_type;
    if (type === undefined || !IN_HANDLER_ERROR_TYPES.has(type)) return [];
    return [
      {
        check: 'stream-error-status',
        severity: 'violation',
        kind: `status-for:${type}`,
        title: 'in-handler stream error sent as an HTTP status',
        message: `a ${type} error on a stream request came as HTTP ${view.status} with a JSON body; TGI answers 200 and sends data:{"error":…,"error_type":"${type}"}`,
      },
    ];
  },
};
