import { readFileSync } from 'node:fs';

/**
 * The peak resident size (VmHWM) of a live process, in bytes, read from /proc; undefined once it
 * has exited, or off Linux. What the memory tests and `npm run bench`'s memory figures poll.
 */
export function peakRssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmHWM:\s+(\d+)\s*kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined; // exited meanwhile
  }
}
