/**
 * `tgc mock`: the reference server on a real port, for people developing clients, and with
 * `--fault NAME` a deliberately broken variant of it.
 */
import { faults, parseMockOptions, ReferenceServerError, startReferenceServer, type RawMockOptions } from '../reference/index.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';

export async function mockCommand(raw: RawMockOptions & { listFaults?: boolean }, io: CliIo): Promise<number> {
  if (raw.listFaults === true) {
    for (const f of faults) io.stdout(`${f.name}\n`);
    return EXIT.ok;
  }
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  try {
    const options = parseMockOptions(raw);
    server = await startReferenceServer({ ...options, log: (line) => io.stdout(`${line}\n`) });
  } catch (e) {
    if (e instanceof ReferenceServerError) {
      throw new TgcInputError(e.message.replace(/^\[tgc reference\] /, ''));
    }
    throw e;
  }
  io.stdout(`listening on ${server.url}\n`);
  await (io.interrupted ?? new Promise<void>(() => undefined));
  await server.close();
  return EXIT.interrupted;
}
