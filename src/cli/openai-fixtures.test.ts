/**
 * Verdicts on real traffic of the OpenAI-compatible routes: `tgc validate exchanges` on each line
 * of ../shared/fixtures/openai-exchanges.jsonl (api.openai.com, TGI 2.0.1 and 3.x behind the
 * Hugging Face router, Together). A line without `known_deviation` gets exit 0 (warnings
 * allowed); a line with one gets exit 1, by the checks for the departures it names and no other
 * violation. The whole file through the command, as a user runs it, gives exit 1.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './program.js';
import type { LocatedFinding } from './validate.js';

const FILE = fileURLToPath(new URL('../../../shared/fixtures/openai-exchanges.jsonl', import.meta.url));
const present = existsSync(FILE);

interface Line {
  n: number;
  text: string;
  provider: string;
  deviation?: string;
  stream?: string;
}

function lines(): Line[] {
  return readFileSync(FILE, 'utf8')
    .split('\n')
    .map((text, i) => ({ text, n: i + 1 }))
    .filter((l) => l.text.trim() !== '')
    .map(({ text, n }) => {
      const v = JSON.parse(text) as { provider: string; known_deviation?: string; stream?: string };
      return { n, text, provider: v.provider, ...(v.known_deviation ? { deviation: v.known_deviation } : {}), ...(v.stream ? { stream: v.stream } : {}) };
    });
}

/** The checks a deviation's description names; a stream of those servers also lacks `[DONE]`. */
function expectedChecks(line: Line): Set<string> {
  const d = line.deviation ?? '';
  const out = new Set<string>();
  if (/\bobject\b/.test(d)) out.add('openai-object');
  if (/finish_reason/.test(d)) out.add('openai-finish-reason');
  if (line.stream !== undefined && !/^data: ?\[DONE\]\s*$/m.test(line.stream)) out.add('openai-stream-done');
  return out;
}

async function validate(text: string): Promise<{ code: number; findings: LocatedFinding[]; stderr: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tgc-openai-'));
  const file = path.join(dir, 'line.jsonl');
  writeFileSync(file, `${text}\n`);
  let stdout = '';
  let stderr = '';
  const code = await runCli(['validate', 'exchanges', file, '--format', 'json'], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: dir,
    env: {},
  });
  const findings = stdout ? ((JSON.parse(stdout) as { findings: LocatedFinding[] }).findings ?? []) : [];
  return { code, findings, stderr };
}

describe.skipIf(!present)('tgc validate exchanges on the real OpenAI-compatible recordings', () => {
  it('has the 44 recordings, 24 of them known deviations', () => {
    const all = lines();
    expect(all).toHaveLength(44);
    expect(all.filter((l) => l.deviation)).toHaveLength(24);
  });

  for (const line of present ? lines() : []) {
    const label = `line ${line.n} (${line.provider}${line.deviation ? `: ${line.deviation}` : ''})`;
    if (!line.deviation) {
      it(`${label}: exit 0, no violation`, async () => {
        const r = await validate(line.text);
        expect(r.stderr).toBe('');
        expect(r.findings.filter((f) => f.severity === 'violation').map((f) => `${f.check}: ${f.message}`)).toEqual([]);
        expect(r.code).toBe(0);
      });
    } else {
      it(`${label}: exit 1, by the checks for what it breaks and no other`, async () => {
        const r = await validate(line.text);
        const expected = expectedChecks(line);
        const fired = new Set(r.findings.filter((f) => f.severity === 'violation').map((f) => f.check));
        expect(r.code).toBe(1);
        expect([...fired].filter((c) => !expected.has(c)), 'violations of other checks').toEqual([]);
        const named = [...expected].filter((c) => c !== 'openai-stream-done');
        expect(named.filter((c) => !fired.has(c)), 'named departures not flagged').toEqual([]);
        if (expected.has('openai-stream-done')) expect(fired.has('openai-stream-done')).toBe(true);
      });
    }
  }

  it('the whole file through the command: exit 1, every violation on a known_deviation line', async () => {
    let stdout = '';
    const code = await runCli(['validate', 'exchanges', FILE, '--format', 'json'], {
      stdout: (t) => void (stdout += t),
      stderr: () => undefined,
      cwd: path.dirname(FILE),
      env: {},
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { artifacts: number; findings: LocatedFinding[] };
    expect(report.artifacts).toBe(44);
    const deviant = new Set(lines().filter((l) => l.deviation).map((l) => l.n));
    const stray = report.findings.filter((f) => f.severity === 'violation' && !deviant.has(f.line ?? 0));
    expect(stray).toEqual([]);
  });
});

describe.skipIf(present)('tgc validate exchanges on the real OpenAI-compatible recordings', () => {
  it.skip('skipped: ../shared/fixtures/openai-exchanges.jsonl is absent (a clone outside the workspace)', () => undefined);
});
