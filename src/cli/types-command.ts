/**
 * `tgc types [--api tgi|hf|openai] [--out FILE]`: the TypeScript bindings generated from
 * spec/openapi.yaml (tgi, hf: the same document) or spec/openai.yaml (openai).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_NAMES, apiByName } from '../apis/index.js';
import { TgcInputError } from './errors.js';
import type { CliIo } from './io.js';

export async function typesCommand(options: { out?: string; api?: string }, io: CliIo): Promise<number> {
  const api = apiByName(options.api ?? 'tgi');
  if (!api) throw new TgcInputError(`unknown --api ${options.api ?? ''}: expected ${API_NAMES.join(', ')}`);
  const { file, aliases } = api.bindings;
  // dist/cli/types-command.js → the package root → src/generated/*.ts (shipped in `files`).
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const generated = await readFile(path.join(root, 'src', 'generated', file), 'utf8');
  const text =
    `${generated.trimEnd()}\n\n// Readable names for the schemas above.\n` +
    aliases.map((n) => `export type ${n} = components['schemas']['${n}'];`).join('\n') +
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
