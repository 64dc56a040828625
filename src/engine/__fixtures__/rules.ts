import { spec } from '../../generated/spec.js';

/** The ids of the validation rules the spec lists (`x-tgc-validation-rules`). */
export function contractRuleIds(): string[] {
  const rules = (spec as unknown as { 'x-tgc-validation-rules': { id: string }[] })['x-tgc-validation-rules'];
  return rules.map((r) => r.id);
}
