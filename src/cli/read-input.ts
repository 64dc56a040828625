import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJson, type ExactJson } from '../core/json.js';
import { TgcInputError } from './errors.js';

/** Reads a file as UTF-8 text; a missing, unreadable or empty file is a TgcInputError naming it. */
export async function readText(file: string, cwd: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new TgcInputError(`cannot read ${file}: ${why}`);
  }
  if (text.trim().length === 0) throw new TgcInputError(`${file} is empty`);
  return text;
}

/** Reads a file holding one JSON document, parsed exactly. */
export async function readJson(file: string, cwd: string): Promise<ExactJson> {
  const text = await readText(file, cwd);
  const parsed = parseJson(text);
  if (!parsed.ok) throw new TgcInputError(`${file} is not JSON: ${parsed.error}`);
  return parsed.value;
}
