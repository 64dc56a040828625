/** `tgc types [--out FILE]`: the TypeScript bindings generated from spec/openapi.yaml. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TgcInputError } from './errors.js';
import type { CliIo } from './io.js';

/** Readable names for the generated component types, appended to the bindings. */
const ALIASES = [
  'GenerateRequest',
  'CompatGenerateRequest',
  'GenerateParameters',
  'GrammarType',
  'GenerateResponse',
  'CompatGenerateResponse',
  'Details',
  'BestOfSequence',
  'PrefillToken',
  'Token',
  'FinishReason',
  'StreamResponse',
  'StreamDetails',
  'ErrorResponse',
  'ModelLoadingResponse',
  'Info',
];

export async function typesCommand(options: { out?: string }, io: CliIo): Promise<number> {
  // dist/cli/types-command.js → the package root → src/generated/openapi.ts (shipped in `files`).
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const generated = await readFile(path.join(root, 'src', 'generated', 'openapi.ts'), 'utf8');
  const text =
    `${generated.trimEnd()}\n\n// Readable names for the schemas above.\n` +
    ALIASES.map((n) => `export type ${n} = components['schemas']['${n}'];`).join('\n') +
    '\n';
  if (options.out === undefined) {
    io.stdout(text);
    return 0;
  }
  try {
    await writeFile(path.resolve(io.cwd, options.out), text);
  } catch (e) {
    throw new TgcInputError(`cannot write ${options.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  io.stderr(`wrote ${options.out}\n`);
  return 0;
}
