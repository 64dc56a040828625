import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { lazy } from './lazy.js';

describe('lazy', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };

  it('compiles on the first call, once, and answers as the compiled function with its errors', () => {
    let made = 0;
    const ajv = new Ajv2020({ allErrors: true });
    const v = lazy(() => {
      made++;
      return ajv.compile(schema);
    });
    expect(made).toBe(0);
    expect(v({ n: 1 })).toBe(true);
    expect(v.errors).toBeNull();
    expect(v({ n: 'x' })).toBe(false);
    expect(v.errors?.[0]?.instancePath).toBe('/n');
    expect(made).toBe(1);
  });

  it('notes in `pending` how to compile it at once; compiled so, its first call compiles nothing more', () => {
    let made = 0;
    const pending: (() => void)[] = [];
    const ajv = new Ajv2020({ allErrors: true });
    const v = lazy(() => {
      made++;
      return ajv.compile(schema);
    }, pending);
    expect(pending).toHaveLength(1);
    for (const compile of pending) compile();
    for (const compile of pending) compile();
    expect(made).toBe(1);
    expect(v({})).toBe(false);
    expect(v.errors?.[0]?.keyword).toBe('required');
    expect(made).toBe(1);
  });
});
