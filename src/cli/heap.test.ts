import { describe, expect, test } from 'vitest';
import { youngGenerationGovernor } from './heap.js';

describe('youngGenerationGovernor', () => {
  test('stops the growth at the cap and allows it again below, setting the factor only on a change', () => {
    let size = 1 << 20;
    const factors: number[] = [];
    const after = youngGenerationGovernor(16 << 20, { size: () => size, setGrowthFactor: (f) => factors.push(f) });
    after(); // below the cap from the start: V8's default stands, nothing set
    expect(factors).toEqual([]);
    size = 16 << 20;
    after();
    after();
    expect(factors).toEqual([1]);
    size = 32 << 20; // grown past it between two observations: still no growth
    after();
    expect(factors).toEqual([1]);
    size = 4 << 20; // V8 shrank it while idle: it may grow back to the cap
    after();
    expect(factors).toEqual([1, 2]);
    size = 16 << 20;
    after();
    expect(factors).toEqual([1, 2, 1]);
  });
});
