import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../transport/index.js';
import { parseRunOptions, type RawRunOptions } from './run-command.js';

const RAW: RawRunOptions = { api: 'tgi', header: [], reportDir: 'reports', seed: '1' };

describe('--max-events', () => {
  it('absent: the default, with each stream also held to what its request allows', () => {
    const o = parseRunOptions(RAW, undefined, []);
    expect(o.limits.maxEvents).toBe(DEFAULT_LIMITS.maxEvents);
    expect(o.fixedMaxEvents).toBeUndefined();
  });

  it('given, even equal to the default: holds as given for every stream', () => {
    const o = parseRunOptions({ ...RAW, maxEvents: String(DEFAULT_LIMITS.maxEvents) }, undefined, []);
    expect(o.limits.maxEvents).toBe(DEFAULT_LIMITS.maxEvents);
    expect(o.fixedMaxEvents).toBe(true);
  });
});
