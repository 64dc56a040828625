import type { Fault } from './fault.js';

/**
 * Writes its SSE events as `Data:{…}`: field names are case-sensitive, so clients see no data.
 * @see tgi-behavior.md §2c SSE framing; WHATWG HTML, event stream interpretation
 */
export const streamDataFieldMisnamed: Fault = {
  name: 'stream-data-field-misnamed',
  description: 'SSE events are written as "Data:" instead of "data:"',
  detectedBy: 'stream-framing',
  transformFrame: (frame) => frame.replace(/^data:/, 'Data:'),
};
