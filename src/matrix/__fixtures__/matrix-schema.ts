/**
 * Validates a matrix against `matrix.schema.json`: every test that builds a matrix can run it
 * through this, so the schema and the writer cannot drift apart unnoticed.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const MATRIX_SCHEMA: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../matrix.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
(addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default(ajv);
const validate = ajv.compile(MATRIX_SCHEMA);

/** The schema's complaints about a matrix as a reader of matrix.json sees it; empty when it conforms. */
export function matrixSchemaErrors(matrix: unknown): string[] {
  const data: unknown = JSON.parse(JSON.stringify(matrix));
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
