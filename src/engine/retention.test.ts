/** What a run keeps of its cases (retention.ts): the same examples whatever order cases complete in, bounded, all counted. */
import { describe, expect, it } from 'vitest';
import { LISTED_FINDINGS, LISTED_PER_KIND, listedPerKind } from '../report/report.js';
import { commonestSkip, FindingSample, skipReasons, tallyOf, tallyOutcome, newTally } from './retention.js';

interface Item {
  caseId: number;
  index: number;
  key: string;
}

function findings(cases: number, kindsPerCase: (id: number) => string[]): Item[] {
  const out: Item[] = [];
  for (let id = 0; id < cases; id++) kindsPerCase(id).forEach((key, index) => out.push({ caseId: id, index, key }));
  return out;
}

function sample(items: readonly Item[]): FindingSample<Item> {
  const s = new FindingSample<Item>();
  for (const it of items) s.add({ dedupeKey: it.key, check: it.key.split('|')[0] ?? '', severity: 'violation', route: 'POST /generate' }, it.caseId, it.index, it);
  return s;
}

/** A fixed shuffle (no Math.random: the test must be the same every run). */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let a = seed;
  for (let i = out.length - 1; i > 0; i--) {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    const j = a % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('FindingSample', () => {
  it('keeps the first findings of each kind by plan order, whatever order they arrive in', () => {
    const all = findings(3000, (id) => (id % 3 === 0 ? ['a|POST /generate|x', 'b|POST /generate|y'] : ['a|POST /generate|x']));
    const inOrder = sample(all);
    for (const seed of [1, 2, 3]) {
      const s = sample(shuffled(all, seed));
      expect(s.kept()).toEqual(inOrder.kept());
      expect(s.omitted()).toEqual(inOrder.omitted());
    }
    const kept = inOrder.kept().map((k) => k.item);
    expect(kept.filter((k) => k.key.startsWith('a')).map((k) => k.caseId)).toEqual(Array.from({ length: LISTED_PER_KIND }, (_, i) => i));
    expect(kept.filter((k) => k.key.startsWith('b'))[0]).toEqual({ caseId: 0, index: 1, key: 'b|POST /generate|y' });
    expect(inOrder.omitted()).toEqual([
      { dedupeKey: 'a|POST /generate|x', check: 'a', severity: 'violation', route: 'POST /generate', count: 3000 - LISTED_PER_KIND },
      { dedupeKey: 'b|POST /generate|y', check: 'b', severity: 'violation', route: 'POST /generate', count: 1000 - LISTED_PER_KIND },
    ]);
    expect(inOrder.countsByCheck()).toEqual(new Map([['a', { violations: 3000, warnings: 0 }], ['b', { violations: 1000, warnings: 0 }]]));
  });

  it('lists fewer of each kind when there are many kinds, at least one of each, and still the first', () => {
    const kinds = 300;
    const all = findings(6000, (id) => [`k${id % kinds}|POST /|z`]);
    const s = sample(shuffled(all, 9));
    const perKind = listedPerKind(kinds);
    expect(perKind).toBe(Math.floor(LISTED_FINDINGS / kinds));
    const kept = s.kept();
    expect(kept.length).toBe(kinds * perKind);
    expect(kept.map((k) => k.caseId)).toEqual(Array.from({ length: kinds * perKind }, (_, i) => i));
    expect(s.omitted().reduce((n, o) => n + o.count, 0)).toBe(6000 - kinds * perKind);
    expect(listedPerKind(5000)).toBe(1);
  });
});

describe('check tallies', () => {
  it('count as a list of outcomes would: the first error, the commonest skip reason (the earliest on a tie)', () => {
    const t = newTally();
    tallyOutcome(t, { status: 'skip', reason: 'b' }, 5);
    tallyOutcome(t, { status: 'skip', reason: 'a' }, 9);
    tallyOutcome(t, { status: 'skip', reason: 'a' }, 7);
    tallyOutcome(t, { status: 'skip', reason: 'b' }, 2);
    tallyOutcome(t, { status: 'pass' }, 1);
    tallyOutcome(t, { status: 'error', reason: 'late' }, 8);
    tallyOutcome(t, { status: 'error', reason: 'early' }, 3);
    expect(t.ran).toBe(3);
    expect(t.error).toEqual({ at: 3, reason: 'early' });
    expect(skipReasons(t)).toEqual([
      { reason: 'b', count: 2, first: 2 },
      { reason: 'a', count: 2, first: 7 },
    ]);
    expect(commonestSkip(t)).toBe('b');
    expect(commonestSkip(tallyOf([{ status: 'skip', reason: 'x' }, { status: 'skip', reason: 'y' }, { status: 'skip', reason: 'y' }]))).toBe('y');
  });
});
