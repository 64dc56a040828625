import { describe, expect, test } from 'vitest';
import { apis } from './index.js';
import { API_NAMES } from './names.js';

describe('API_NAMES', () => {
  test('are the declared APIs, in their order (the command line offers them before loading any)', () => {
    expect(API_NAMES).toEqual(apis.map((a) => a.name));
  });
});
