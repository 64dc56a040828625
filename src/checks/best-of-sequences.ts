import type { Details, GenerateResponse, Token } from '../core/api.js';
import type { Finding } from '../core/finding.js';
import type { CheckDefinition } from './check.js';
import { effectiveParameters, type EffectiveParameters } from './_internals/effective-parameters.js';
import { findingReporter } from './_internals/findings.js';
import { pointer } from './_internals/pointer.js';
import { onExchange, withDetails, type CheckResult, type ExchangeHandlers } from './_internals/requires.js';

const ID = 'best-of-sequences';

const KINDS = {
  'best-of-sequences-count-mismatch': {
    severity: 'violation',
    title: 'best_of_sequences does not hold best_of − 1 sequences',
  },
  'best-of-not-highest-mean-logprob': {
    severity: 'violation',
    title: 'The returned sequence is not the one with the highest mean token logprob',
  },
  // best_of > 1 requires sampling, and TGI gives each sequence its own random seed; whether a
  // server reports it is the N-10 habit that look-alike servers do not share (see seed-consistency).
  'best-of-sequence-seed-null': {
    severity: 'warning',
    title: 'A best_of sequence has no seed',
  },
  // TGI omits best_of_sequences unless best_of > 1; an extra field breaks no client.
  'best-of-sequences-unrequested': {
    severity: 'warning',
    title: 'best_of_sequences present although best_of ≤ 1',
  },
} as const;

const report = findingReporter(ID, KINDS);

/** f32 sums on the server vs doubles here: means may differ in the last digits. */
const tolerance = (mean: number): number => 1e-4 * Math.max(1, Math.abs(mean));

/** The mean token logprob (I:337-350), or `undefined` when a logprob is null or there are no tokens. */
function meanLogprob(tokens: readonly Token[]): number | undefined {
  if (tokens.length === 0) return undefined;
  let sum = 0;
  for (const t of tokens) {
    if (t.logprob === null) return undefined;
    sum += t.logprob;
  }
  return sum / tokens.length;
}

/** The best_of sequences of a response, against the request's best_of and sampling. */
function judgeSequences(details: Details, _response: GenerateResponse, params: EffectiveParameters | undefined): CheckResult {
  const bestOf = params?.bestOf;
  const sequences = Array.isArray(details.best_of_sequences) ? details.best_of_sequences : undefined;
  const at = '/details/best_of_sequences';
  if (sequences === undefined && (bestOf === undefined || bestOf <= 1)) {
    return { skip: 'best_of ≤ 1 (or unknown) and no best_of_sequences' };
  }
  const findings: Finding[] = [];
  if (bestOf !== undefined && bestOf > 1 && sequences?.length !== bestOf - 1) {
    findings.push(
      report('best-of-sequences-count-mismatch', {
        message: `expected ${bestOf - 1} best_of_sequences (best_of ${bestOf} − 1) but ${sequences === undefined ? 'details has none' : `there are ${sequences.length}`}`,
        pointer: sequences === undefined ? '/details' : at,
      }),
    );
  }
  if (sequences === undefined) return findings;
  if (bestOf !== undefined && bestOf <= 1) {
    findings.push(
      report('best-of-sequences-unrequested', {
        message: `best_of is ${bestOf === 1 ? 'unset, 0 or 1' : bestOf}, yet details has best_of_sequences (${sequences.length})`,
        pointer: at,
      }),
    );
  }
  const chosen = meanLogprob(details.tokens);
  if (chosen !== undefined) {
    sequences.forEach((s, i) => {
      const mean = meanLogprob(s.tokens);
      if (mean !== undefined && mean - chosen > tolerance(mean)) {
        findings.push(
          report('best-of-not-highest-mean-logprob', {
            message: `the returned sequence must have the highest mean token logprob, but its mean is ${chosen} and best_of_sequences[${i}] has ${mean}`,
            pointer: pointer(at, i, 'tokens'),
          }),
        );
      }
    });
  }
  const seeds: { pointer: string; label: string }[] = [];
  // The returned sequence's own seed is seed-consistency's to judge. `temperature: 1.0`
  // alone passes the best_of validation (V:231) but decodes greedily, without a seed.
  if (params?.sampling !== false) {
    sequences.forEach((s, i) => {
      if (s.seed === undefined || s.seed === null) seeds.push({ pointer: pointer(at, i, 'seed'), label: `best_of_sequences[${i}]` });
    });
  }
  const firstSeed = seeds[0];
  if (firstSeed !== undefined) {
    findings.push(
      report('best-of-sequence-seed-null', {
        message: `best_of samples each sequence with its own seed, but ${seeds.map((s) => s.label).join(', ')} ${seeds.length > 1 ? 'have' : 'has'} a null or absent seed`,
        pointer: firstSeed.pointer,
      }),
    );
  }
  return findings;
}

// Defined once (requires.ts ExchangeHandlers says why); the context is the effective parameters.
const HANDLERS: ExchangeHandlers<EffectiveParameters | undefined> = {
  response: (response, _view, params) => withDetails(response, judgeSequences, params),
};

/**
 * N-9: a non-stream request with best_of > 1 returns `best_of − 1` other sequences in
 * `details.best_of_sequences`; the returned sequence has the highest mean token logprob among
 * all (compared with a small tolerance; skipped where a logprob is null); each sequence has its
 * own non-null seed (a warning, as in N-10; the returned sequence's seed is
 * seed-consistency's). Per-sequence rules (N-1…N-8, N-11) are applied to
 * each entry by those checks (tgi-behavior.md §2b N-9; TGI router/src/infer/mod.rs:337-350,
 * router/src/server.rs:330-333).
 *
 * @see https://github.com/huggingface/text-generation-inference/blob/db931fcf42da018a3657580c64bf2720f167f9ab/router/src/infer/mod.rs#L337-L350
 */
export const bestOfSequences: CheckDefinition = {
  id: ID,
  severity: 'violation',
  title: 'best_of returns best_of − 1 other sequences and the best one',
  rule:
    'With best_of > 1 (non-stream, details returned): best_of_sequences has best_of − 1 entries, the returned sequence has the highest mean token logprob, and every sequence has a seed (warning).',
  source: 'tgi-behavior.md §2b N-9; TGI router/src/infer/mod.rs:337-350, router/src/server.rs:330-333',
  appliesTo: 'non-stream',
  kinds: KINDS,
  run(view): CheckResult {
    const params = effectiveParameters(view);
    return onExchange(view, HANDLERS, params);
  },
};
