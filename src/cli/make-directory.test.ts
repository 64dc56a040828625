import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from './make-directory.js';

describe('makeDirectory', () => {
  it('makes every missing component', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tgc-mkdir-'));
    const deep = path.join(root, 'a', 'b', 'c');
    await makeDirectory(deep);
    expect(existsSync(deep)).toBe(true);
    await makeDirectory(deep); // exists: fine
  });

  it('fails at once where a file stands in the way', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tgc-mkdir-'));
    writeFileSync(path.join(root, 'file'), '');
    await expect(makeDirectory(path.join(root, 'file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  // Node 20's recursive mkdir spins forever here (one CPU, deaf to SIGTERM); this one answers.
  it.skipIf(!existsSync('/proc/self'))('fails at once under /proc, where a parent refuses with ENOENT', async () => {
    const started = Date.now();
    await expect(makeDirectory('/proc/tgc-nonexistent/reports')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
