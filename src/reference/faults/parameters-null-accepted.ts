import { parseJson, stringifyJson } from '../../core/json.js';
import { isObject } from './_support.js';
import type { Fault } from './fault.js';

/**
 * Reads `"parameters": null` as "no parameters" where TGI's serde rejects it before the handler
 * (text/plain 422 "Failed to deserialize the JSON body into the target type: parameters: invalid
 * type: null, expected struct GenerateParameters").
 * @see tgi-behavior.md §2a (parameters); verdict-policy item 3
 */
export const parametersNullAccepted: Fault = {
  name: 'parameters-null-accepted',
  description: 'accepts "parameters": null as if parameters were absent instead of answering 422',
  detectedBy: 'negative-data-rejection',
  transformRequestText: (text) => {
    const parsed = parseJson(text);
    if (!parsed.ok || !isObject(parsed.value) || parsed.value['parameters'] !== null) return text;
    const { parameters: _null, ...rest } = parsed.value;
    return stringifyJson(rest);
  },
};
