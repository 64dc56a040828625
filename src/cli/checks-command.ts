/** `tgc checks`: every check of every API, its severity, the rule and its source. */
import { everyCheck } from '../apis/index.js';
import type { CliIo } from './io.js';

export function checksCommand(options: { format: 'text' | 'json' }, io: CliIo): number {
  const checks = everyCheck();
  if (options.format === 'json') {
    const rows = checks.map(({ id, severity, title, rule, source }) => ({ id, severity, title, rule, source }));
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...checks.map((c) => c.id.length));
  for (const c of checks) {
    io.stdout(`${c.id.padEnd(width)}  ${c.severity.padEnd(9)}  ${c.title}\n`);
    io.stdout(`${''.padEnd(width)}  ${''.padEnd(9)}  rule: ${c.rule}\n`);
    io.stdout(`${''.padEnd(width)}  ${''.padEnd(9)}  source: ${c.source}\n`);
  }
  io.stdout(`${checks.length} checks\n`);
  return 0;
}
