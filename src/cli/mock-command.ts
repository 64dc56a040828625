/**
 * `tgc mock`: the reference server on a real port, for people developing clients, and with
 * `--fault NAME` a deliberately broken variant of it.
 */
import { composeFaults, faults, parseMockOptions, ReferenceServerError, startReferenceServer, type RawMockOptions } from '../reference/index.js';
import { findQuirk, quirks, type Quirk } from '../reference/quirks/index.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';

/**
 * @param fromCli whether the user gave an option on the command line (commander's option value
 *   source): a fault's own options (an API key, the hf profile) apply where the user gave none.
 */
export async function mockCommand(
  raw: RawMockOptions & { listFaults?: boolean; listQuirks?: boolean; quirk?: string[] },
  io: CliIo,
  fromCli: (key: string) => boolean = () => true,
): Promise<number> {
  if (raw.listFaults === true) {
    for (const f of faults) io.stdout(`${f.name}\n`);
    return EXIT.ok;
  }
  if (raw.listQuirks === true) {
    io.stdout(formatQuirks(quirks));
    return EXIT.ok;
  }
  const chosen: Quirk[] = [];
  for (const name of raw.quirk ?? []) {
    const q = findQuirk(name);
    if (!q) throw new TgcInputError(`--quirk: unknown quirk ${JSON.stringify(name)}; known: ${quirks.map((x) => x.name).join(', ')}`);
    chosen.push(q);
  }
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  try {
    const { quirk: _quirk, listQuirks: _list, ...rest } = raw;
    const options = parseMockOptions(rest);
    // Quirks are hooks like a fault's: applied in the order given, after the fault.
    if (chosen.length > 0) {
      const parts = [...(options.fault ? [options.fault] : []), ...chosen];
      options.fault = composeFaults(parts.map((p) => p.name).join('+'), parts);
    }
    const needs = options.fault?.mockOptions ?? {};
    for (const [key, value] of Object.entries(needs)) {
      if (!fromCli(key)) (options as unknown as Record<string, unknown>)[key] = value;
    }
    server = await startReferenceServer({ ...options, log: (line) => io.stdout(`${line}\n`) });
    const run = options.fault?.runOptions;
    if (run?.authRequired || run?.api !== undefined || run?.headers) {
      const flags = [
        run.api !== undefined ? `--api ${run.api}` : '',
        run.authRequired ? '--auth-required --token <the --api-key>' : '',
        ...Object.entries(run.headers ?? {}).map(([k, v]) => `--header '${k}: ${v}'`),
      ].filter(Boolean);
      io.stderr(`fault ${options.fault?.name ?? ''} shows with: tgc run ${flags.join(' ')}\n`);
    }
  } catch (e) {
    if (e instanceof ReferenceServerError) {
      throw new TgcInputError(e.message.replace(/^\[tgc reference\] /, ''));
    }
    throw e;
  }
  io.stdout(`listening on ${server.url}\n`);
  const signal = await (io.interrupted ?? new Promise<void>(() => undefined));
  await server.close();
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/** `--list-quirks`: each quirk, the server that shows it, its source, tgc's verdict and what the official clients do. */
export function formatQuirks(list: readonly Quirk[]): string {
  const lines: string[] = [];
  for (const q of list) {
    lines.push(`${q.name}: ${q.description}`);
    lines.push(`  server:  ${q.server}`);
    lines.push(`  source:  ${q.source}`);
    lines.push(`  tgc run: ${q.verdict ? `${q.verdict.severity} (${q.verdict.check})` : 'no finding (correct behaviour)'}`);
    for (const [client, o] of Object.entries(q.clients)) {
      lines.push(`  ${client}: ${o.outcome}${o.detail ? `: ${o.detail}` : ''}`);
    }
  }
  lines.push('', 'Serve one or several: tgc mock --quirk NAME [--quirk NAME …] (the OpenAI-compatible routes only).');
  return `${lines.join('\n')}\n`;
}
