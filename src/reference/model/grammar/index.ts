/** Grammars the model can follow: draw a string the grammar accepts, then decode towards it. */
import type { SplitMix64 } from '../prng.js';
import { CompiledSchema } from './json-schema.js';
import { drawRegex, parseRegex } from './regex.js';

export { RegexGrammarError } from './regex.js';
export { SchemaGrammarError } from './json-schema.js';

/** A compiled grammar: every string it draws is one the grammar accepts. */
export interface Grammar {
  readonly kind: 'regex' | 'json';
  draw(rng: SplitMix64): string;
}

/** Compiles a regex grammar; throws RegexGrammarError outside the supported subset. */
export function regexGrammar(source: string): Grammar {
  const node = parseRegex(source);
  return { kind: 'regex', draw: (rng) => drawRegex(node, rng) };
}

/** Compiles a JSON Schema grammar; throws SchemaGrammarError for what cannot be compiled. */
export function jsonSchemaGrammar(schema: unknown): Grammar {
  const compiled = new CompiledSchema(schema as ConstructorParameters<typeof CompiledSchema>[0]);
  return { kind: 'json', draw: (rng) => compiled.draw(rng) };
}
