/**
 * The official clients as witnesses of the quirks: for each quirk, the reference server serves it
 * on a real port and each client operation (QUIRK_CLIENTS: the openai npm client 6.30.1's create,
 * stream and `.stream()` helper; @huggingface/inference 4.13.16's chatCompletion and
 * chatCompletionStream) sends the quirk's probe (./__fixtures__/clients.ts) with a 5 s deadline.
 * What it gives is compared with what the same operation gives against the conformant server
 * and classified (works, misreads, throws, hangs); the outcome and its detail must be the ones
 * the quirk declares in its `clients`, which `tgc mock --list-quirks` prints. Servers and
 * operations run in parallel: the file takes about the deadline.
 *
 * `TGC_PRINT_CLIENTS=1` prints the observed table, one JSON line per quirk (`TGC_CLIENTS {quirk, clients}`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../server.js';
import type { ReferenceServer } from '../server.js';
import { chooseStop, classify, probeBody, probeFor, runClient } from './__fixtures__/clients.js';
import type { Observed, Probe } from './__fixtures__/clients.js';
import { QUIRK_CLIENTS, quirks } from './index.js';
import type { QuirkClientOutcome } from './quirk.js';

const PROBES: readonly Probe[] = ['stop', 'tools', 'invalid'];

describe('the official clients against each quirk', () => {
  let conformant: ReferenceServer;
  let stop = '';
  /** What each operation gives against the conformant server, by probe. */
  const baseline = new Map<string, Observed>();
  /** By quirk, by client: the observed outcome. */
  const observed = new Map<string, Record<string, QuirkClientOutcome>>();

  beforeAll(async () => {
    conformant = await startReferenceServer({ port: 0 });
    stop = await chooseStop(conformant.url);
    await Promise.all(
      PROBES.flatMap((probe) =>
        QUIRK_CLIENTS.map(async (client) => baseline.set(`${probe} ${client}`, await runClient(client, conformant.url, probeBody(probe, stop)))),
      ),
    );
    await Promise.all(
      quirks.map(async (quirk) => {
        const server = await startReferenceServer({ port: 0, fault: quirk });
        try {
          const row: Record<string, QuirkClientOutcome> = {};
          const outcomes = await Promise.all(
            QUIRK_CLIENTS.map(async (client) => {
              const probe = probeFor(quirk.name, client);
              const seen = await runClient(client, server.url, probeBody(probe, stop));
              const base = baseline.get(`${probe} ${client}`);
              if (!base) throw new Error(`no baseline for ${probe} ${client}`);
              return [client, classify(seen, base, stop)] as const;
            }),
          );
          for (const [client, outcome] of outcomes) row[client] = outcome;
          observed.set(quirk.name, row);
        } finally {
          await server.close();
        }
      }),
    );
    if (process.env['TGC_PRINT_CLIENTS']) {
      for (const q of quirks) process.stdout.write(`TGC_CLIENTS ${JSON.stringify({ quirk: q.name, clients: observed.get(q.name) })}\n`);
    }
  }, 60_000);
  afterAll(() => conformant?.close());

  it('the probes are meaningful against the conformant server: a stop, a whole tool call, a 422', () => {
    for (const client of QUIRK_CLIENTS) {
      const s = baseline.get(`stop ${client}`);
      expect(s?.kind, client).toBe('result');
      if (s?.kind !== 'result') continue;
      expect(s.seen.finish, client).toBe('stop');
      expect(typeof s.seen.content === 'string' && s.seen.content.length > 0, client).toBe(true);
      expect(String(s.seen.content)).not.toContain(stop);
      expect(s.seen.usages, client).toBe(1);
      const t = baseline.get(`tools ${client}`);
      expect(t?.kind, client).toBe('result');
      if (t?.kind !== 'result') continue;
      expect(t.seen.finish, client).toBe('tool_calls');
      expect(t.seen.toolCalls, client).toEqual([{ type: 'function', name: 'get_weather', args: 'json' }]);
      const i = baseline.get(`invalid ${client}`);
      expect(i, client).toMatchObject({ kind: 'error', status: 422 });
    }
  });

  it.each(quirks.map((q) => [q.name, q] as const))('%s: each client does what the quirk declares', (name, quirk) => {
    const row = observed.get(name);
    expect(Object.keys(quirk.clients)).toEqual([...QUIRK_CLIENTS]);
    for (const client of QUIRK_CLIENTS) {
      expect(row?.[client], `${name} × ${client}`).toEqual(quirk.clients[client]);
    }
  });
});
