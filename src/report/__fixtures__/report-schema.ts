/**
 * Validates a report against `report.schema.json`: every test that writes a report.json runs
 * its output through this, so the schema and the writer cannot drift apart unnoticed.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const REPORT_SCHEMA: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../report.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
(addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default(ajv);
const validate = ajv.compile(REPORT_SCHEMA);

/** The schema's complaints about `report`, one line each; empty when it conforms. */
export function reportSchemaErrors(report: unknown): string[] {
  // Validate what a reader of report.json sees, not the object in memory (undefined keys vanish).
  const data: unknown = JSON.parse(JSON.stringify(report));
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
