/**
 * The quirks of real OpenAI-compatible servers, in-process and pure: each quirk's hooks run over
 * the faithful exchanges (./__fixtures__/faithful.ts, as the server will call them), the result
 * is judged with the real OpenAI decoder and checks, and tgc's verdict must be the one the quirk
 * declares (verdict-policy, "The OpenAI-compatible routes"): its most severe finding, first
 * reported by the declared check; `data-no-space` gives no finding at all.
 */
import { describe, expect, it } from 'vitest';
import { apiByName } from '../../apis/index.js';
import type { Finding } from '../../core/finding.js';
import { findFault } from '../faults/index.js';
import { FAITHFUL, judge, nativeChanges, runHooks, summary } from './__fixtures__/faithful.js';
import { findQuirk, QUIRK_CLIENTS, quirks } from './index.js';
import type { Quirk } from './quirk.js';

const NAMES = [
  'tgi-2.0.1',
  'tgi-3.3',
  'together-eos',
  'ollama-empty-finish',
  'usage-every-chunk',
  'tool-arguments-object',
  'tool-delta-no-index',
  'data-no-space',
  'error-bare-string',
  'error-in-stream',
];

const api = apiByName('openai');
const checkOrder = (api?.checks ?? []).map((c) => c.id);

/** Every finding of the quirk over every faithful exchange. */
async function allFindings(quirk: Quirk | undefined): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const ex of Object.values(FAITHFUL)) out.push(...(await judge(runHooks(quirk, ex))));
  return out;
}

/** tgc's verdict on a set of findings: the worst severity, and the first check (in `tgc checks` order) reporting it. */
function verdictOf(findings: readonly Finding[]): { severity: 'violation' | 'warning'; check: string } | null {
  for (const severity of ['violation', 'warning'] as const) {
    const checks = new Set(findings.filter((f) => f.severity === severity).map((f) => f.check));
    const check = checkOrder.find((id) => checks.has(id));
    if (check !== undefined) return { severity, check };
  }
  return null;
}

describe('quirks', () => {
  it('lists the ten quirks, each findable, with its server, source, verdict and clients, for --api openai', () => {
    expect(quirks.map((q) => q.name)).toEqual(NAMES);
    for (const q of quirks) {
      expect(findQuirk(q.name), q.name).toBe(q);
      expect(q.server.length, q.name).toBeGreaterThan(3);
      expect(q.source.length, q.name).toBeGreaterThan(10);
      expect(q.description, q.name).not.toContain('\n');
      // Observed by clients.e2e.test.ts, which holds them true.
      expect(Object.keys(q.clients), q.name).toEqual([...QUIRK_CLIENTS]);
      for (const o of Object.values(q.clients)) {
        expect(['works', 'misreads', 'throws', 'hangs'], q.name).toContain(o.outcome);
        expect(o.outcome === 'works' ? o.detail === undefined : (o.detail ?? '').length > 0, `${q.name}: ${JSON.stringify(o)}`).toBe(true);
      }
      expect(q.runOptions?.api, q.name).toBe('openai');
      if (q.verdict !== null) expect(checkOrder, q.name).toContain(q.verdict.check);
      expect(q.detectedBy, q.name).toBe(q.verdict?.severity === 'violation' ? q.verdict.check : undefined);
    }
    expect(findQuirk('nope')).toBeUndefined();
  });

  it.each(quirks.map((q) => [q.name, q] as const))('%s: tgc reports the declared verdict', async (_name, quirk) => {
    const findings = await allFindings(quirk);
    expect(verdictOf(findings), summary(findings).join(', ')).toEqual(quirk.verdict);
  });

  it('data-no-space writes data:{…} frames, and tgc finds nothing', async () => {
    const quirk = findQuirk('data-no-space');
    const ex = FAITHFUL['chatStream'];
    if (!ex) throw new Error('fixtures');
    const raw = runHooks(quirk, ex);
    expect(raw.stream?.startsWith('data:{"id"')).toBe(true);
    expect(raw.stream?.endsWith('data:[DONE]\n\n')).toBe(true);
    expect(raw.stream?.includes('data: ')).toBe(false);
    expect(summary(await allFindings(quirk))).toEqual([]);
  });

  it('tgi-3.3 shows each of its departures, as the verdict policy grades them', async () => {
    const kinds = new Set(summary(await allFindings(findQuirk('tgi-3.3'))));
    expect([...kinds].sort()).toEqual(
      [
        'openai-choice-index:n-ignored (warning)', // one choice whatever n
        'openai-finish-reason:empty (violation)', // "" on intermediate completions chunks
        'openai-finish-reason:outside-enum (violation)', // stop_sequence, eos_token
        'openai-logprobs:bytes-missing (warning)',
        'openai-stop-suffix:stop-text-kept (warning)',
        'openai-stream-consistency:empty-id (warning)',
      ].sort(),
    );
    // Allowed, so not reported: role on every delta, tool calls that finish with "stop".
    const stream = FAITHFUL['chatStream'];
    const tools = FAITHFUL['chatTools'];
    if (!stream || !tools) throw new Error('fixtures');
    const text = runHooks(findQuirk('tgi-3.3'), stream).stream ?? '';
    const deltas = text.split('\n\n').filter((f) => f.includes('"delta"'));
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.every((f) => f.includes('"role":"assistant"'))).toBe(true);
    expect(runHooks(findQuirk('tgi-3.3'), tools).response).toMatchObject({ id: '', choices: [{ finish_reason: 'stop' }] });
  });

  it('reuses the fault files where the departure is the same', () => {
    expect(findQuirk('together-eos')?.transformEvent).toBe(findFault('openai-finish-reason-eos')?.transformEvent);
    expect(findQuirk('ollama-empty-finish')?.transformEvent).toBe(findFault('openai-finish-reason-empty')?.transformEvent);
    expect(findQuirk('usage-every-chunk')?.transformEvent).toBe(findFault('openai-usage-every-chunk')?.transformEvent);
    expect(findQuirk('tool-arguments-object')?.transformResponseBody).toBe(findFault('openai-tool-arguments-object')?.transformResponseBody);
    expect(findQuirk('tool-delta-no-index')?.transformEvent).toBe(findFault('openai-tool-delta-no-index')?.transformEvent);
    expect(findQuirk('error-in-stream')?.overrideValidation).toBe(findFault('openai-validation-error-in-stream')?.overrideValidation);
  });

  it.each(quirks.map((q) => [q.name, q] as const))('%s leaves the native routes untouched', (_name, quirk) => {
    expect(nativeChanges(quirk)).toEqual([]);
  });

  it('the native-route probe sees a hook that acts everywhere', () => {
    const everywhere = { name: 'everywhere', description: 'test', transformResponseBody: () => ({}), transformFrame: () => '', transformStatus: () => 500 };
    expect(nativeChanges(everywhere).length).toBeGreaterThan(5);
  });
});
