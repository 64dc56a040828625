/**
 * Every API tgc knows, as one declaration each (./types.ts). Listed explicitly: nothing registers
 * itself by being imported. The first API that declares a route judges a recording that names
 * no API (the native recordings: `hf`, whose `POST /` accepts both the object and the array).
 */
import type { BaseExchangeView, RecordedExchange } from '../core/exchange.js';
import { hfApi } from './hf.js';
import { openaiApi } from './openai.js';
import { tgiApi } from './tgi.js';
import type { ApiDefinition } from './types.js';

export type { ApiDefinition, ApiDriver, DecodeContext, Decoder, Discovery, DriverPlanOptions, Limits, Reproduces, ShrinkResult } from './types.js';

export const apis: readonly ApiDefinition<BaseExchangeView>[] = [
  tgiApi as unknown as ApiDefinition<BaseExchangeView>,
  hfApi as unknown as ApiDefinition<BaseExchangeView>,
  openaiApi as unknown as ApiDefinition<BaseExchangeView>,
];

export { API_NAMES } from './names.js';

export function apiByName(name: string): ApiDefinition<BaseExchangeView> | undefined {
  return apis.find((a) => a.name === name);
}

/** The API that judges a recorded exchange: the one it names, if that one has its route; else by route. */
export function apiForExchange(raw: Pick<RecordedExchange, 'route' | 'api'>): ApiDefinition<BaseExchangeView> | undefined {
  const named = raw.api !== undefined ? apiByName(raw.api) : undefined;
  if (named?.routes.includes(raw.route)) return named;
  return DEFAULT_FOR_RECORDINGS.find((a) => a.routes.includes(raw.route));
}

/** A recording without an API: native routes as the seed-style endpoint (lenient on POST /'s shape). */
const DEFAULT_FOR_RECORDINGS: readonly ApiDefinition<BaseExchangeView>[] = [
  hfApi as unknown as ApiDefinition<BaseExchangeView>,
  openaiApi as unknown as ApiDefinition<BaseExchangeView>,
];

/** Every check of every API, once each by id, in the APIs' order. */
export function everyCheck(): { id: string; severity: string; title: string; rule: string; source: string }[] {
  const seen = new Map<string, { id: string; severity: string; title: string; rule: string; source: string }>();
  for (const api of apis) for (const c of [...api.checks, ...api.scenarioChecks]) if (!seen.has(c.id)) seen.set(c.id, c);
  return [...seen.values()];
}
