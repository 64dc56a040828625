import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { outcome } from './__fixtures__/builders.js';
import { parseFixtureExchanges, type FixtureExchange } from './__fixtures__/load.js';
import { invariantChecks } from './index.js';

// ../shared/fixtures relative to the repository root (this file is src/checks/fixtures.test.ts).
const DIR = new URL('../../../shared/fixtures/', import.meta.url);
const FILES = { 'tgi-generate-cases.jsonl': 173, 'hf-api-exchanges.jsonl': 5 } as const;
const present = Object.keys(FILES).every((file) => existsSync(fileURLToPath(new URL(file, DIR))));

/**
 * Warnings that real recordings are known to raise, each with the reason it is right to warn and
 * wrong to fail. A warning outside this list fails the test: new warnings on real servers need a
 * look.
 */
const EXPECTED_WARNINGS: Record<string, string> = {
  'text-matches-tokens/text-differs-in-leading-whitespace':
    'encoder-decoder mt0-base decodes its first token without the leading space (tgi-behavior.md N-4)',
  'prefill-consistency/prefill-unrequested':
    'bloom-560m and mt0-base (non-flash) return prefill without decoder_input_details in their _load recordings',
};

interface Judged {
  exchange: FixtureExchange;
  check: string;
  findings: Finding[];
}

function judgeAll(): { judged: Judged[]; errors: string[]; counts: Record<string, number>; thrown: string[] } {
  const judged: Judged[] = [];
  const errors: string[] = [];
  const counts: Record<string, number> = {};
  const thrown: string[] = [];
  for (const file of Object.keys(FILES)) {
    const loaded = parseFixtureExchanges(readFileSync(fileURLToPath(new URL(file, DIR)), 'utf8'), file);
    errors.push(...loaded.errors);
    counts[file] = loaded.exchanges.length;
    for (const exchange of loaded.exchanges) {
      for (const check of invariantChecks) {
        try {
          const result = check.run(exchange.view);
          if (!('skip' in result)) judged.push({ exchange, check: check.id, findings: result });
        } catch (e) {
          thrown.push(`${check.id} on ${exchange.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
  }
  return { judged, errors, counts, thrown };
}

const all = present ? judgeAll() : { judged: [], errors: [], counts: {}, thrown: [] };

const findings = all.judged.flatMap((j) => j.findings.map((f) => ({ f, name: j.exchange.name })));
const violations = findings.filter(({ f }) => f.severity === 'violation').map(({ f, name }) => `${name}: ${f.check}/${f.kind}: ${f.message}`);

/** Warnings grouped by check/kind, with the exchanges that raised them. */
const warningGroups = new Map<string, string[]>();
for (const { f, name } of findings) {
  if (f.severity !== 'warning') continue;
  const key = `${f.check}/${f.kind}`;
  warningGroups.set(key, [...(warningGroups.get(key) ?? []), name]);
}

const title = present
  ? 'invariant checks over the recorded exchanges in ../shared/fixtures'
  : 'invariant checks over the recorded exchanges (skipped: ../shared/fixtures not found)';

describe.skipIf(!present)(title, () => {
  it('reads every recorded exchange', () => {
    expect(all.errors).toEqual([]);
    expect(all.counts).toEqual(FILES);
  });

  it('runs every check on every exchange without throwing', () => {
    expect(all.thrown).toEqual([]);
  });

  it('finds zero violations', () => {
    expect(violations).toEqual([]);
  });

  it('returns well-formed findings', () => {
    const problems = all.judged.flatMap((j) => {
      const check = invariantChecks.find((c) => c.id === j.check);
      return check === undefined ? [] : [...outcome(check, j.exchange.view)].filter((s) => s.startsWith('shape:')).map((s) => `${j.exchange.name} ${j.check}: ${s}`);
    });
    expect(problems).toEqual([]);
  });

  it('judges the exchanges each rule applies to (not skipping them all)', () => {
    const judged = new Map<string, number>();
    for (const j of all.judged) judged.set(j.check, (judged.get(j.check) ?? 0) + 1);
    // No recording uses best_of or top_n_tokens (tgi-behavior.md §1): those two may skip them all.
    const mayAllSkip = new Set(['best-of-sequences', 'top-tokens-shape']);
    const idle = invariantChecks.map((c) => c.id).filter((id) => !mayAllSkip.has(id) && (judged.get(id) ?? 0) === 0);
    expect(idle).toEqual([]);
  });

  it('raises only the known warnings, listed in the output', () => {
    const lines = [...warningGroups].map(
      ([key, names]) => `${key} (${names.length}): ${EXPECTED_WARNINGS[key] ?? 'NOT EXPECTED'}\n    ${names.join('\n    ')}`,
    );
    // Test output, not library output: the warnings real recordings raise, for the reader.
    console.info(`warnings on the recorded exchanges:\n  ${lines.length > 0 ? lines.join('\n  ') : '(none)'}`);
    expect([...warningGroups.keys()].filter((key) => !(key in EXPECTED_WARNINGS))).toEqual([]);
  });
});
