/**
 * `mkdir -p` that fails fast. Node 20's own `mkdir(dir, { recursive: true })` spins forever,
 * one CPU at 100% and deaf to SIGTERM, when a parent refuses the child with ENOENT (any path
 * under /proc, for one): libuv retries the parent after each ENOENT. So each missing component is
 * made with a plain `mkdir`, from the deepest existing one down, and the first error is the answer.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

export async function makeDirectory(dir: string): Promise<void> {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const s = await stat(current);
      if (!s.isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.unshift(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
