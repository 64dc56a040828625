/**
 * `tgc mock`: the reference server on a real port, for people developing clients, and with
 * `--fault NAME` a deliberately broken variant of it.
 */
import { faults, parseMockOptions, ReferenceServerError, startReferenceServer, type RawMockOptions } from '../reference/index.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';

/**
 * @param fromCli whether the user gave an option on the command line (commander's option value
 *   source): a fault's own options (an API key, the hf profile) apply where the user gave none.
 */
export async function mockCommand(
  raw: RawMockOptions & { listFaults?: boolean },
  io: CliIo,
  fromCli: (key: string) => boolean = () => true,
): Promise<number> {
  if (raw.listFaults === true) {
    for (const f of faults) io.stdout(`${f.name}\n`);
    return EXIT.ok;
  }
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  try {
    const options = parseMockOptions(raw);
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
